"""The contact-log aggregate: who was in contact, about what, and who holds it."""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

import attrs
from pendulum import DateTime

from contactlog_core.domain.organisations.model import OrgId, StaffId

__all__ = [
    "Channel",
    "ContactLog",
    "ContactRef",
    "FollowUp",
    "FollowUpDraft",
    "FollowUpId",
    "LogCommand",
    "LogId",
    "LogStatus",
    "Priority",
]

LogId = NewType("LogId", str)
FollowUpId = NewType("FollowUpId", str)


class LogStatus(StrEnum):
    """Where a log stands. ``IN_PROGRESS`` exactly when it has an owner (the lock)."""

    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class Channel(StrEnum):
    """How the contact happened."""

    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"
    SMS = "sms"
    OTHER = "other"


class Priority(StrEnum):
    """How urgent a log or follow-up is; ``rank`` orders them."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for ``LOW`` up to 3 for ``URGENT``."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {p: i for i, p in enumerate(Priority)}


class LogCommand(StrEnum):
    """Every command of the ownership table."""

    RECORD = "record"
    TAKE = "take"
    FORCE_TAKE = "force_take"
    ASSIGN = "assign"
    SURRENDER = "surrender"
    AMEND = "amend"
    ADD_FOLLOW_UP = "add_follow_up"
    RESCHEDULE_FOLLOW_UP = "reschedule_follow_up"
    COMPLETE_FOLLOW_UP = "complete_follow_up"
    COMPLETE = "complete"
    REOPEN = "reopen"


@attrs.frozen
class ContactRef:
    """The host app's contact (say, a pupil's parent): its id and display name."""

    id: str
    display_name: str


@attrs.frozen
class FollowUpDraft:
    """A follow-up as a caller asks for it; the library gives it an id when saved."""

    due_at: DateTime
    reason: str = ""
    assigned_to: StaffId | None = None
    forward_to: StaffId | None = None
    priority: Priority = Priority.NORMAL


@attrs.frozen
class FollowUp:
    """Something to do about a log by ``due_at``; outstanding until ``done_at`` is set."""

    id: FollowUpId
    due_at: DateTime
    reason: str
    assigned_to: StaffId | None
    forward_to: StaffId | None
    priority: Priority
    created_at: DateTime
    done_at: DateTime | None = None

    @property
    def is_done(self) -> bool:
        """True once ``done_at`` is set."""
        return self.done_at is not None


@attrs.frozen
class ContactLog:
    """One contact and what follows from it, locked to ``owner`` while in progress."""

    id: LogId
    org_id: OrgId
    contact: ContactRef | None
    channel: Channel
    subject: str
    notes: str
    priority: Priority
    status: LogStatus
    owner: StaffId | None
    created_by: StaffId
    created_at: DateTime
    updated_at: DateTime
    completed_by: StaffId | None = None
    completed_at: DateTime | None = None
    follow_ups: tuple[FollowUp, ...] = ()
    version: int = 1

    def follow_up(self, follow_up_id: str) -> FollowUp | None:
        """The follow-up with this id, if the log has one."""
        return next((f for f in self.follow_ups if f.id == follow_up_id), None)

    @property
    def outstanding_follow_ups(self) -> tuple[FollowUp, ...]:
        """Follow-ups not done, on a log that is not completed."""
        if self.status is LogStatus.COMPLETED:
            return ()
        return tuple(f for f in self.follow_ups if not f.is_done)
