"""Rows to entities and back: instants as integer microseconds in UTC."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from pendulum import DateTime

from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpId,
    LogId,
    LogStatus,
    Priority,
)
from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.organisations.reminder_settings import ReminderSettings
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.text import fold
from contactlog_core.instants import from_micros, to_micros
from contactlog_core.serialization import structure, unstructure

__all__ = [
    "from_micros",
    "log_from_row",
    "log_params",
    "organisation_from_row",
    "staff_from_row",
    "to_micros",
]


def _maybe_micros(instant: dt.datetime | None) -> int | None:
    return None if instant is None else to_micros(instant)


def _maybe_instant(micros: int | None) -> DateTime | None:
    return None if micros is None else from_micros(micros)


def organisation_params(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "timezone": org.timezone,
        "aging": json.dumps(unstructure(org.aging), separators=(",", ":")),
        "reminders": json.dumps(unstructure(org.reminders), separators=(",", ":")),
        "created_at": to_micros(org.created_at),
        "version": org.version,
    }


def organisation_from_row(row: sqlite3.Row) -> Organisation:
    return Organisation(
        id=OrgId(row["id"]),
        name=row["name"],
        timezone=row["timezone"],
        aging=_aging(row["aging"]),
        reminders=_reminders(row["reminders"]),
        created_at=from_micros(row["created_at"]),
        version=row["version"],
    )


# Settings are immutable values read on every save (reminders are planned on each one):
# the same stored text always gives the same value, so each is built once.
@functools.lru_cache(maxsize=256)
def _aging(text: str) -> AgingPolicy:
    return structure(json.loads(text), AgingPolicy)


@functools.lru_cache(maxsize=256)
def _reminders(text: str) -> ReminderSettings:
    return structure(json.loads(text), ReminderSettings)


def staff_from_row(row: sqlite3.Row) -> Staff:
    return Staff(
        id=StaffId(row["id"]),
        org_id=OrgId(row["org_id"]),
        name=row["name"],
        role=row["role"],
        created_at=from_micros(row["created_at"]),
        version=row["version"],
    )


def log_params(log: ContactLog) -> dict[str, Any]:
    """The ``logs`` columns of ``log`` as named parameters."""
    return {
        "id": log.id,
        "org_id": log.org_id,
        "contact_id": None if log.contact is None else log.contact.id,
        "contact_name": None if log.contact is None else log.contact.display_name,
        "channel": log.channel.value,
        "subject": log.subject,
        "subject_key": fold(log.subject),
        "notes": log.notes,
        "priority": log.priority.value,
        "status": log.status.value,
        "owner": log.owner,
        "created_by": log.created_by,
        "created_at": to_micros(log.created_at),
        "updated_at": to_micros(log.updated_at),
        "completed_by": log.completed_by,
        "completed_at": _maybe_micros(log.completed_at),
        "next_due_at": _maybe_micros(
            min((f.due_at for f in log.outstanding_follow_ups), default=None)
        ),
        "version": log.version,
    }


def follow_up_params(log: ContactLog, position: int, fu: FollowUp) -> dict[str, Any]:
    return {
        "id": fu.id,
        "log_id": log.id,
        "org_id": log.org_id,
        "open": int(fu.done_at is None and log.status is not LogStatus.COMPLETED),
        "position": position,
        "due_at": to_micros(fu.due_at),
        "reason": fu.reason,
        "assigned_to": fu.assigned_to,
        "forward_to": fu.forward_to,
        "priority": fu.priority.value,
        "created_at": to_micros(fu.created_at),
        "done_at": _maybe_micros(fu.done_at),
    }


def follow_up_from_row(row: sqlite3.Row) -> FollowUp:
    return FollowUp(
        id=FollowUpId(row["id"]),
        due_at=from_micros(row["due_at"]),
        reason=row["reason"],
        assigned_to=row["assigned_to"],
        forward_to=row["forward_to"],
        priority=Priority(row["priority"]),
        created_at=from_micros(row["created_at"]),
        done_at=_maybe_instant(row["done_at"]),
    )


def log_from_row(row: sqlite3.Row, follow_ups: Sequence[FollowUp]) -> ContactLog:
    contact = None
    if row["contact_id"] is not None:
        contact = ContactRef(id=row["contact_id"], display_name=row["contact_name"])
    return ContactLog(
        id=LogId(row["id"]),
        org_id=OrgId(row["org_id"]),
        contact=contact,
        channel=Channel(row["channel"]),
        subject=row["subject"],
        notes=row["notes"],
        priority=Priority(row["priority"]),
        status=LogStatus(row["status"]),
        owner=row["owner"],
        created_by=StaffId(row["created_by"]),
        created_at=from_micros(row["created_at"]),
        updated_at=from_micros(row["updated_at"]),
        completed_by=row["completed_by"],
        completed_at=_maybe_instant(row["completed_at"]),
        follow_ups=tuple(follow_ups),
        version=row["version"],
    )


def audit_params(event: AuditEvent, encode: Any) -> tuple[Any, ...]:
    # In INSERT_AUDIT_EVENT's column order: every save writes one, and positions bind
    # faster than names.
    before, before_changes = _before_columns(event.before, event.after, encode)
    return (
        event.id,
        event.org_id,
        event.entity,
        event.entity_id,
        event.command,
        event.actor,
        to_micros(event.at),
        before,
        None if event.after is None else encode(event.after),
        None if event.detail is None else encode(event.detail),
        before_changes,
    )


def _before_columns(
    before: dict[str, Any] | None, after: dict[str, Any] | None, encode: Any
) -> tuple[str | None, str | None]:
    # ``before`` whole, or (migration 11) only what differs from ``after`` when both hold
    # the same fields in the same order: a change touches a few fields, and the trail
    # then grows by about one record per change rather than two.
    if before is None:
        return None, None
    if after is None or list(before) != list(after):
        return encode(before), None
    return None, encode({k: v for k, v in before.items() if not _same(v, after[k], encode)})


def _same(a: Any, b: Any, encode: Any) -> bool:
    # As JSON sees them: 1, 1.0 and True are equal in Python, and so are 0.0 and -0.0, but
    # not in the text.
    if type(a) is not type(b):
        return False
    if isinstance(a, dict | list | float):
        return bool(encode(a) == encode(b))
    return bool(a == b)


def audit_from_row(row: sqlite3.Row, decode: Any) -> AuditEvent:
    after: dict[str, Any] | None = None if row["after"] is None else decode(row["after"])
    before: dict[str, Any] | None = None
    if row["before_changes"] is not None:
        # after's field order; the schema's CHECK keeps ``after`` beside the changes
        before = {**(after or {}), **decode(row["before_changes"])}
    elif row["before"] is not None:
        before = decode(row["before"])
    return AuditEvent(
        id=row["id"],
        org_id=OrgId(row["org_id"]),
        entity=row["entity"],
        entity_id=row["entity_id"],
        command=row["command"],
        actor=row["actor"],
        at=from_micros(row["at"]),
        before=before,
        after=after,
        detail=None if row["detail"] is None else decode(row["detail"]),
    )
