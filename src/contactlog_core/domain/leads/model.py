"""The sales lead of docs/rules.md ("Sales leads"): a prospect, who works it, and when it was last touched.

A lead's status is not a stored fact but a function of its facts and the
time (``contactlog_core.domain.leads.aging.age``); ``Lead.status`` only says what it
was when the lead was last written.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

import attrs
from pendulum import DateTime

from contactlog_core.domain.organisations.model import OrgId, StaffId

__all__ = [
    "LEAD_ENTITY",
    "ArchiveReason",
    "Lead",
    "LeadCommand",
    "LeadId",
    "LeadStatus",
    "TouchKind",
]

LeadId = NewType("LeadId", str)

LEAD_ENTITY = "lead"
"""What the audit trail calls a lead (an event's ``entity``)."""


class LeadStatus(StrEnum):
    """Where a lead stands; every one but ``ARCHIVED`` follows from the clock."""

    NOT_SCHEDULED = "NOT_SCHEDULED"
    SCHEDULED = "SCHEDULED"
    MISSED = "MISSED"
    PAST_DUE = "PAST_DUE"
    ABANDONED = "ABANDONED"
    AVAILABLE = "AVAILABLE"
    ARCHIVED = "ARCHIVED"


class LeadCommand(StrEnum):
    """Every command of the lead table, and ``AGE``, the sweep's own change."""

    ADD = "add"
    SCHEDULE = "schedule"
    TOUCH = "touch"
    CLAIM = "claim"
    ASSIGN = "assign"
    ARCHIVE = "archive"
    REACTIVATE = "reactivate"
    AGE = "age"


class TouchKind(StrEnum):
    """How a lead was last touched: by staff contact, or by a command that restarts the clock."""

    CALL = "call"
    NOTE = "note"
    EMAIL = "email"
    MEETING = "meeting"
    SCHEDULE = "schedule"
    CLAIM = "claim"
    ASSIGN = "assign"
    ADD = "add"
    REACTIVATE = "reactivate"


class ArchiveReason(StrEnum):
    """Why a lead was archived by hand."""

    LOST = "lost"
    DO_NOT_CONTACT = "do_not_contact"


@attrs.frozen
class Lead:
    """A prospect (``name``, ``contact``) worked by ``owner``.

    ``follow_up_at`` is the next scheduled contact, ``last_touch_*`` the most
    recent touch by anyone. ``status`` is the status as of ``updated_at``;
    the status now is ``aging.age(lead, now, timezone, policy)``.
    """

    id: LeadId
    org_id: OrgId
    name: str
    contact: str
    owner: StaffId | None
    follow_up_at: DateTime | None
    last_touch_at: DateTime
    last_touch_by: StaffId
    last_touch_kind: TouchKind
    archived_reason: ArchiveReason | None
    archive_note: str
    status: LeadStatus
    created_by: StaffId
    created_at: DateTime
    updated_at: DateTime
    version: int = 1

    @property
    def archived(self) -> bool:
        """True once archived by hand (until reactivated); the clock no longer moves it."""
        return self.archived_reason is not None
