"""The reminder outbox in SQLite: requests as JSON, due ones read through a partial index."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from pendulum import DateTime

from contactlog_core.adapters.sqlite.db import Database, translated
from contactlog_core.domain.logs.model import LogId
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.domain.reminders.plan import ReminderRequest, last_sent
from contactlog_core.errors import ValidationError
from contactlog_core.instants import from_micros, to_micros
from contactlog_core.ports import OutboxEntry
from contactlog_core.serialization import structure, unstructure

__all__ = ["SqliteOutbox"]

SENT_FOR_LOG = "SELECT request FROM reminder_outbox WHERE org_id = ? AND log_id = ?"
ENQUEUE = """
INSERT INTO reminder_outbox (org_id, log_id, key, sequence, sink, request, next_attempt_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""
DUE = """
SELECT id, request, attempts, next_attempt_at, last_error FROM reminder_outbox
 WHERE sink = ? AND next_attempt_at <= ? AND delivered_at IS NULL
 ORDER BY next_attempt_at, id LIMIT ?
"""
DELIVERED = """
UPDATE reminder_outbox SET delivered_at = ?
 WHERE key = ? AND sequence <= ? AND delivered_at IS NULL
"""
FAILED = """
UPDATE reminder_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
 WHERE id = ?
"""
PENDING = "SELECT count(*) FROM reminder_outbox WHERE delivered_at IS NULL"
PENDING_OF_SINK = PENDING + " AND sink = ?"


def _request(text: str) -> ReminderRequest:
    return structure(json.loads(text), ReminderRequest)


class SqliteOutbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    def last_sent(self, org_id: OrgId, log_id: LogId) -> dict[str, ReminderRequest]:
        rows = self._db.all(SENT_FOR_LOG, (org_id, log_id))
        return last_sent(_request(row[0]) for row in rows)

    def enqueue(self, requests: Sequence[ReminderRequest], *, at: DateTime) -> None:
        due = to_micros(at)
        for r in requests:
            text = json.dumps(unstructure(r), separators=(",", ":"), ensure_ascii=False)
            try:
                self._db.conn.execute(
                    ENQUEUE, (r.org_id, r.log_id, r.key, r.sequence, r.sink, text, due)
                )
            except sqlite3.IntegrityError:
                raise ValidationError("reminder", f"{r.key} #{r.sequence} is queued") from None
            except sqlite3.Error:
                with translated("queue a reminder"):
                    raise

    def due(self, sink: str, now: DateTime, limit: int) -> list[OutboxEntry]:
        rows = self._db.all(DUE, (sink, to_micros(now), limit))
        return [
            OutboxEntry(
                id=row["id"],
                request=_request(row["request"]),
                attempts=row["attempts"],
                next_attempt_at=from_micros(row["next_attempt_at"]),
                last_error=row["last_error"],
            )
            for row in rows
        ]

    def delivered(self, entry: OutboxEntry, at: DateTime) -> None:
        self._db.run(DELIVERED, (to_micros(at), entry.request.key, entry.request.sequence))

    def failed(self, entry: OutboxEntry, *, retry_at: DateTime, error: str) -> None:
        self._db.run(FAILED, (to_micros(retry_at), error, entry.id))

    def pending(self, sink: str | None = None) -> int:
        row = self._db.one(PENDING) if sink is None else self._db.one(PENDING_OF_SINK, (sink,))
        return 0 if row is None else int(row[0])
