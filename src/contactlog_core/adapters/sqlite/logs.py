"""Contact logs in SQLite: the repository, its SQL and its rows; the lists are in ``log_lists``.

A save writes only the columns that changed, and only the follow-ups that changed.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Sequence
from typing import Any

from pendulum import DateTime

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.log_lists import LogLists
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
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared.text import fold
from contactlog_core.errors import NotFound, ValidationError
from contactlog_core.instants import from_micros, to_micros

__all__ = ["SqliteLogs", "follow_up_from_row", "follow_up_params", "log_from_row", "log_params"]

INSERT_LOG = """
INSERT INTO logs (id, org_id, contact_id, contact_name, channel, subject, subject_key, notes,
                  priority, status, owner, owner_key, created_by, created_at, updated_at,
                  completed_by, completed_at, next_due_at, version)
VALUES (:id, :org_id, :contact_id, :contact_name, :channel, :subject, :subject_key, :notes,
        :priority, :status, :owner, (SELECT name_key FROM staff WHERE id = :owner), :created_by,
        :created_at, :updated_at, :completed_by, :completed_at, :next_due_at, :version)
"""

SELECT_LOG = "SELECT * FROM logs WHERE id = ? AND org_id = ?"

SELECT_LOG_VERSION = "SELECT version FROM logs WHERE id = ? AND org_id = ?"

# The columns a save may change; ``owner_key`` follows ``owner`` (a sub-select).
LOG_UPDATABLE: tuple[str, ...] = (
    "contact_id",
    "contact_name",
    "channel",
    "subject",
    "subject_key",
    "notes",
    "priority",
    "status",
    "owner",
    "updated_at",
    "completed_by",
    "completed_at",
    "next_due_at",
)


@functools.lru_cache(maxsize=64)
def update_log(columns: tuple[str, ...]) -> str:
    """The UPDATE that writes ``columns`` (and the version) of one log.

    Writing only what changed spares SQLite rewriting the index entries of the
    other columns; that is most of an UPDATE's cost. Optimistic concurrency:
    the row changes only if it is still at the version read.
    """
    sets = [f"{column} = :{column}" for column in columns]
    if "owner" in columns:
        sets.append("owner_key = (SELECT name_key FROM staff WHERE id = :owner)")
    sets.append("version = :version")
    return (
        f"UPDATE logs SET {', '.join(sets)}"
        " WHERE id = :id AND org_id = :org_id AND version = :expected_version"
    )


SELECT_FOLLOW_UPS = "SELECT * FROM follow_ups WHERE log_id = ? ORDER BY position"

UPSERT_FOLLOW_UP = """
INSERT INTO follow_ups (id, log_id, org_id, position, due_at, reason, assigned_to, forward_to,
                        priority, created_at, done_at, open)
VALUES (:id, :log_id, :org_id, :position, :due_at, :reason, :assigned_to, :forward_to,
        :priority, :created_at, :done_at, :open)
ON CONFLICT (id) DO UPDATE SET
       position = excluded.position, due_at = excluded.due_at, reason = excluded.reason,
       assigned_to = excluded.assigned_to, forward_to = excluded.forward_to,
       priority = excluded.priority, done_at = excluded.done_at, open = excluded.open
 WHERE follow_ups.log_id = excluded.log_id
"""

# When a log is completed or reopened, its follow-ups stop or start being outstanding.
SET_FOLLOW_UPS_OPEN = """
UPDATE follow_ups SET open = (done_at IS NULL AND :log_open)
 WHERE log_id = :log_id AND open != (done_at IS NULL AND :log_open)
"""


class SqliteLogs(LogLists):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        # What this unit of work read or wrote, so a save writes only what changed:
        # the log (for its follow-ups) and its row as stored (for its columns).
        self._loaded: dict[str, ContactLog] = {}
        self._stored: dict[str, dict[str, Any]] = {}

    def add(self, log: ContactLog) -> None:
        # The primary key refuses a second log with the same id (a ValidationError).
        params = log_params(log)
        self._db.run(INSERT_LOG, params)
        self._write_follow_ups(log, previous=None)
        self._remember(log, params)

    def get(self, org_id: OrgId, log_id: LogId) -> ContactLog:
        row = self._db.one(SELECT_LOG, (log_id, org_id))
        if row is None:
            raise NotFound("log", log_id)
        follow_ups = [follow_up_from_row(r) for r in self._db.all(SELECT_FOLLOW_UPS, (log_id,))]
        log = log_from_row(row, follow_ups)
        self._remember(log, dict(row))
        return log

    def update(self, log: ContactLog, *, expected_version: int) -> None:
        params = log_params(log)
        before = self._stored.get(log.id)
        columns = LOG_UPDATABLE
        if before is not None and before["version"] == expected_version:
            # The row is as this unit of work saw it (else the version check fails).
            columns = tuple(c for c in LOG_UPDATABLE if params[c] != before[c])
        changed = self._db.run(
            update_log(columns), {**params, "expected_version": expected_version}
        )
        if changed.rowcount != 1:
            key = (log.id, log.org_id)
            raise self._db.conflict("log", log.id, expected_version, SELECT_LOG_VERSION, key)
        self._write_follow_ups(log, previous=self._loaded.get(log.id))
        self._remember(log, params)

    def _remember(self, log: ContactLog, stored: dict[str, Any]) -> None:
        self._loaded[log.id] = log
        self._stored[log.id] = stored

    def _write_follow_ups(self, log: ContactLog, previous: ContactLog | None) -> None:
        before = {} if previous is None else {f.id: f for f in previous.follow_ups}
        completed = LogStatus.COMPLETED
        # Rewritten follow-ups carry their own ``open``; the untouched ones need it set
        # only when the log became, or stopped being, completed.
        if previous is not None and (previous.status is completed) != (log.status is completed):
            self._db.run(
                SET_FOLLOW_UPS_OPEN, {"log_id": log.id, "log_open": log.status is not completed}
            )
        for position, fu in enumerate(log.follow_ups):
            if before.get(fu.id) != fu:
                params = follow_up_params(log, position, fu)
                if self._db.run(UPSERT_FOLLOW_UP, params).rowcount != 1:
                    raise ValidationError("follow_up.id", f"{fu.id!r} belongs to another log")


def _maybe_micros(instant: dt.datetime | None) -> int | None:
    return None if instant is None else to_micros(instant)


def _maybe_instant(micros: int | None) -> DateTime | None:
    return None if micros is None else from_micros(micros)


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
