"""contactlog_core: an embeddable contact log.

Who contacted whom, who holds the record (the lock), which follow-ups are due.
Start with ``ContactLogApp``; see the docs for a tour.
"""

from contactlog_core import _moved, errors
from contactlog_core.application import ContactLogApp
from contactlog_core.application.interactions import (
    CaptureReport,
    InteractionDetail,
    Rejection,
)
from contactlog_core.application.leads import SweepReport
from contactlog_core.application.reminders import DeliveryReport
from contactlog_core.clock import Clock, ManualClock, SystemClock
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionDraft,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.interactions.queries import InteractionPage, InteractionSort
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadId, LeadStatus, TouchKind
from contactlog_core.domain.leads.queries import Cue, LeadRow, LeadSort, LeadView
from contactlog_core.domain.leads.rules import LEAD_RULES
from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpDraft,
    FollowUpId,
    LogCommand,
    LogId,
    LogStatus,
    Priority,
)
from contactlog_core.domain.logs.queries import (
    BadgeCounts,
    Badges,
    FollowUpRow,
    FollowUpSort,
    LogSort,
    LogSummary,
)
from contactlog_core.domain.logs.rules import OWNERSHIP_RULES, Rule
from contactlog_core.domain.organisations.aging_policy import AgingPolicy, DayCount, holiday_dates
from contactlog_core.domain.organisations.model import Actor, Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.organisations.reminder_settings import ReminderKind, ReminderSettings
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.paging import Page
from contactlog_core.domain.shared.policy import Permission, Policy, Role
from contactlog_core.errors import (
    ConcurrencyConflict,
    ContactLogError,
    InvalidTransition,
    LockedByOther,
    NotFound,
    PermissionDenied,
    StoreUnavailable,
    ValidationError,
)

__version__ = "0.1.0"

_moved.install()

__all__ = [
    "LEAD_RULES",
    "OWNERSHIP_RULES",
    "Actor",
    "AgingPolicy",
    "ArchiveReason",
    "AuditEvent",
    "BadgeCounts",
    "Badges",
    "CaptureReport",
    "Change",
    "Channel",
    "ClientRef",
    "Clock",
    "ConcurrencyConflict",
    "ContactLog",
    "ContactLogApp",
    "ContactLogError",
    "ContactRef",
    "Counterpart",
    "Cue",
    "DayCount",
    "DeliveryReport",
    "Direction",
    "FollowUp",
    "FollowUpDraft",
    "FollowUpId",
    "FollowUpRow",
    "FollowUpSort",
    "Interaction",
    "InteractionDetail",
    "InteractionDraft",
    "InteractionId",
    "InteractionKind",
    "InteractionLinks",
    "InteractionPage",
    "InteractionSort",
    "InvalidTransition",
    "Lead",
    "LeadId",
    "LeadRow",
    "LeadSort",
    "LeadStatus",
    "LeadView",
    "LockedByOther",
    "LogCommand",
    "LogId",
    "LogSort",
    "LogStatus",
    "LogSummary",
    "ManualClock",
    "NotFound",
    "OrgId",
    "Organisation",
    "Page",
    "Permission",
    "PermissionDenied",
    "Policy",
    "Priority",
    "Redaction",
    "Rejection",
    "ReminderKind",
    "ReminderSettings",
    "Role",
    "Rule",
    "Staff",
    "StaffId",
    "StoreUnavailable",
    "SweepReport",
    "SystemClock",
    "TouchKind",
    "ValidationError",
    "__version__",
    "errors",
    "holiday_dates",
]
