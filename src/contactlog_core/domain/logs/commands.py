"""Pure transitions of a contact log: ``(log, actor, now, policy, ...) -> Change``.

Each one asks ``contactlog_core.domain.logs.rules.authorise`` whether the
table allows it, then builds the new log with ``version + 1``. No clock, no
storage: the caller passes ``now`` and saves the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpDraft,
    FollowUpId,
    LogCommand,
    LogId,
    Priority,
)
from contactlog_core.domain.logs.rules import OwnerAfter, Rule, authorise, rule_for
from contactlog_core.domain.organisations.model import Actor, Staff, StaffId
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.errors import InvalidTransition, NotFound, ValidationError
from contactlog_core.instants import require_aware

__all__ = [
    "LogChange",
    "add_follow_up",
    "amend",
    "assign",
    "complete",
    "complete_follow_up",
    "force_take",
    "new_follow_up",
    "record",
    "reopen",
    "reschedule_follow_up",
    "surrender",
    "take",
]

LogChange = Change[ContactLog]

MAX_SUBJECT = 200
MAX_NOTES = 20_000
MAX_NAME = 200
MAX_REASON = 1_000
MAX_FOLLOW_UPS = 100


def record(
    *,
    log_id: LogId,
    actor: Actor,
    now: DateTime,
    contact: ContactRef | None,
    subject: str,
    channel: Channel | str = Channel.PHONE,
    notes: str = "",
    priority: Priority | str = Priority.NORMAL,
    follow_ups: Sequence[FollowUp] = (),
) -> LogChange:
    """A new log, locked to its creator (``IN_PROGRESS``)."""
    now = require_aware(now, "now")
    if len(follow_ups) > MAX_FOLLOW_UPS:
        raise ValidationError("follow_ups", f"at most {MAX_FOLLOW_UPS} per log")
    log = ContactLog(
        id=log_id,
        org_id=actor.org_id,
        contact=None if contact is None else _contact(contact),
        channel=check.choice(channel, Channel, "channel"),
        subject=check.text(subject, "subject", max_length=MAX_SUBJECT),
        notes=check.text(notes, "notes", max_length=MAX_NOTES, required=False),
        priority=check.choice(priority, Priority, "priority"),
        status=rule_for(LogCommand.RECORD).target,
        owner=actor.staff_id,
        created_by=actor.staff_id,
        created_at=now,
        updated_at=now,
        follow_ups=tuple(follow_ups),
    )
    return Change(command=LogCommand.RECORD, actor=actor.staff_id, at=now, before=None, after=log)


def take(log: ContactLog, actor: Actor, now: DateTime, policy: Policy) -> LogChange:
    """Lock an ``OPEN`` log to ``actor``."""
    return _apply(log, LogCommand.TAKE, actor, now, policy)


def force_take(
    log: ContactLog, actor: Actor, now: DateTime, policy: Policy, *, holder_role: str
) -> LogChange:
    """Take a log held by someone whose role ``actor`` outranks (``holder_role``)."""
    return _apply(log, LogCommand.FORCE_TAKE, actor, now, policy, holder_role=holder_role)


def assign(
    log: ContactLog,
    actor: Actor,
    now: DateTime,
    policy: Policy,
    *,
    assignee: Staff,
    holder_role: str | None = None,
) -> LogChange:
    """Hand the lock to ``assignee``: allowed to whoever could lock the log now."""
    if assignee.org_id != log.org_id:
        raise NotFound("staff", assignee.id)
    return _apply(log, LogCommand.ASSIGN, actor, now, policy, holder_role, assignee=assignee.id)


def surrender(log: ContactLog, actor: Actor, now: DateTime, policy: Policy) -> LogChange:
    """Release the lock: the log goes back to ``OPEN`` for anyone to take."""
    return _apply(log, LogCommand.SURRENDER, actor, now, policy)


_AMENDABLE = ("subject", "notes", "priority", "channel", "contact")


def amend(log: ContactLog, actor: Actor, now: DateTime, policy: Policy, **fields: Any) -> LogChange:
    """Change any of subject, notes, priority, channel, contact (owner only)."""
    unknown = sorted(set(fields) - set(_AMENDABLE))
    if unknown:
        raise ValidationError("amend", f"cannot amend {', '.join(unknown)}")
    if not fields:
        raise ValidationError("amend", "nothing to change")
    changes = _amendments(fields)
    return _apply(log, LogCommand.AMEND, actor, now, policy, **changes)


def complete(log: ContactLog, actor: Actor, now: DateTime, policy: Policy) -> LogChange:
    """Close the log: the lock is released and ``completed_by`` remembers who."""
    return _apply(
        log, LogCommand.COMPLETE, actor, now, policy, completed_by=actor.staff_id, completed_at=now
    )


def reopen(log: ContactLog, actor: Actor, now: DateTime, policy: Policy) -> LogChange:
    """Bring a completed log back, locked to ``actor`` (needs ``reopen_log``)."""
    return _apply(log, LogCommand.REOPEN, actor, now, policy, completed_by=None, completed_at=None)


def new_follow_up(follow_up_id: FollowUpId, draft: FollowUpDraft, now: DateTime) -> FollowUp:
    """A checked follow-up from a caller's draft; its due date may not be in the past."""
    if not isinstance(draft, FollowUpDraft):
        raise ValidationError("follow_up", f"expected a FollowUpDraft, got {type(draft).__name__}")
    now = require_aware(now, "now")
    return FollowUp(
        id=follow_up_id,
        due_at=_future(draft.due_at, now),
        reason=check.text(draft.reason, "reason", max_length=MAX_REASON, required=False),
        assigned_to=_optional_staff(draft.assigned_to, "assigned_to"),
        forward_to=_optional_staff(draft.forward_to, "forward_to"),
        priority=check.choice(draft.priority, Priority, "priority"),
        created_at=now,
    )


def add_follow_up(
    log: ContactLog, actor: Actor, now: DateTime, policy: Policy, follow_up: FollowUp
) -> LogChange:
    """Add a follow-up to a log the actor holds."""
    if len(log.follow_ups) >= MAX_FOLLOW_UPS:
        raise ValidationError("follow_ups", f"at most {MAX_FOLLOW_UPS} per log")
    if log.follow_up(follow_up.id) is not None:
        raise ValidationError("follow_up", f"the log already has a follow-up {follow_up.id!r}")
    follow_ups = (*log.follow_ups, follow_up)
    return _apply(log, LogCommand.ADD_FOLLOW_UP, actor, now, policy, follow_ups=follow_ups)


def reschedule_follow_up(
    log: ContactLog,
    actor: Actor,
    now: DateTime,
    policy: Policy,
    follow_up_id: str,
    due_at: DateTime,
) -> LogChange:
    """Move an outstanding follow-up to a new (future) due date."""
    now = require_aware(now, "now")
    due = require_aware(due_at, "due_at")
    rule = authorise(log, LogCommand.RESCHEDULE_FOLLOW_UP, actor, policy)
    due = _future(due, now)
    follow_ups = _replace_outstanding(log, follow_up_id, rule.command, due_at=due)
    return _settle(log, rule, actor, now, follow_ups=follow_ups)


def complete_follow_up(
    log: ContactLog, actor: Actor, now: DateTime, policy: Policy, follow_up_id: str
) -> LogChange:
    """Mark an outstanding follow-up done."""
    now = require_aware(now, "now")
    rule = authorise(log, LogCommand.COMPLETE_FOLLOW_UP, actor, policy)
    follow_ups = _replace_outstanding(log, follow_up_id, rule.command, done_at=now)
    return _settle(log, rule, actor, now, follow_ups=follow_ups)


def _apply(
    log: ContactLog,
    command: LogCommand,
    actor: Actor,
    now: DateTime,
    policy: Policy,
    holder_role: str | None = None,
    *,
    assignee: StaffId | None = None,
    **changes: Any,
) -> LogChange:
    now = require_aware(now, "now")
    rule = authorise(log, command, actor, policy, holder_role)
    return _settle(log, rule, actor, now, assignee, **changes)


def _settle(
    log: ContactLog,
    rule: Rule,
    actor: Actor,
    now: DateTime,
    assignee: StaffId | None = None,
    **changes: Any,
) -> LogChange:
    after = attrs.evolve(
        log,
        status=rule.target,
        owner=_owner_after(rule, log, actor, assignee),
        updated_at=now,
        version=log.version + 1,
        **changes,
    )
    return Change(command=rule.command, actor=actor.staff_id, at=now, before=log, after=after)


def _owner_after(
    rule: Rule, log: ContactLog, actor: Actor, assignee: StaffId | None
) -> StaffId | None:
    return {
        OwnerAfter.ACTOR: actor.staff_id,
        OwnerAfter.NOBODY: None,
        OwnerAfter.ASSIGNEE: assignee,
        OwnerAfter.UNCHANGED: log.owner,
    }[rule.owner_after]


def _replace_outstanding(
    log: ContactLog, follow_up_id: str, command: LogCommand, **changes: Any
) -> tuple[FollowUp, ...]:
    current = log.follow_up(follow_up_id)
    if current is None:
        raise NotFound("follow-up", str(follow_up_id))
    if current.is_done:
        raise InvalidTransition("done", command, current.id)
    updated = attrs.evolve(current, **changes)
    return tuple(updated if f.id == current.id else f for f in log.follow_ups)


def _amendments(fields: dict[str, Any]) -> dict[str, Any]:
    checkers: dict[str, Callable[[Any], object]] = {
        "subject": lambda v: check.text(v, "subject", max_length=MAX_SUBJECT),
        "notes": lambda v: check.text(v, "notes", max_length=MAX_NOTES, required=False),
        "priority": lambda v: check.choice(v, Priority, "priority"),
        "channel": lambda v: check.choice(v, Channel, "channel"),
        "contact": lambda v: None if v is None else _contact(v),
    }
    return {name: checkers[name](value) for name, value in fields.items()}


def _contact(value: object) -> ContactRef:
    if not isinstance(value, ContactRef):
        raise ValidationError("contact", f"expected a ContactRef, got {type(value).__name__}")
    return ContactRef(
        id=check.identifier(value.id, "contact.id"),
        display_name=check.text(value.display_name, "contact.display_name", max_length=MAX_NAME),
    )


def _future(due_at: object, now: DateTime) -> DateTime:
    due = require_aware(due_at, "due_at")
    if due < now:
        raise ValidationError(
            "due_at", f"{due.isoformat()} is in the past (now is {now.isoformat()})"
        )
    return due


def _optional_staff(value: object, field: str) -> StaffId | None:
    return None if value is None else StaffId(check.identifier(value, field))
