"""contactlog_core: an embeddable contact log.

Who contacted whom, who holds the record (the lock), which follow-ups are due.
Start with ``ContactLogApp``; see the docs for a tour.
"""

from contactlog_core import errors
from contactlog_core.application import ContactLogApp
from contactlog_core.clock import Clock, ManualClock, SystemClock
from contactlog_core.domain.audit import AuditEvent
from contactlog_core.domain.events import Change
from contactlog_core.domain.logs import (
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
from contactlog_core.domain.organisations import Actor, Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.ownership import OWNERSHIP_RULES, Rule
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
from contactlog_core.policy import Permission, Policy, Role

__version__ = "0.1.0"

__all__ = [
    "OWNERSHIP_RULES",
    "Actor",
    "AuditEvent",
    "Change",
    "Channel",
    "Clock",
    "ConcurrencyConflict",
    "ContactLog",
    "ContactLogApp",
    "ContactLogError",
    "ContactRef",
    "FollowUp",
    "FollowUpDraft",
    "FollowUpId",
    "InvalidTransition",
    "LockedByOther",
    "LogCommand",
    "LogId",
    "LogStatus",
    "ManualClock",
    "NotFound",
    "OrgId",
    "Organisation",
    "Permission",
    "PermissionDenied",
    "Policy",
    "Priority",
    "Role",
    "Rule",
    "Staff",
    "StaffId",
    "StoreUnavailable",
    "SystemClock",
    "ValidationError",
    "__version__",
    "errors",
]
