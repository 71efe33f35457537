"""The audit trail in SQLite: appended events, read back newest first.

An event of a change keeps ``after`` whole and, of ``before``, only the fields
that differ (migration 11); reading it back sets those fields back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.instants import from_micros, to_micros

__all__ = ["SqliteAudit", "audit_from_row", "audit_params", "encode_json"]

INSERT_AUDIT_EVENT = """
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before, after,
                          detail, before_changes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

AUDIT_EVENTS_OF_ORG = "SELECT * FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT ?"

AUDIT_EVENTS_OF_ENTITY = """
SELECT * FROM audit_events WHERE org_id = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?
"""


class SqliteAudit:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, event: AuditEvent) -> None:
        self._db.run(INSERT_AUDIT_EVENT, audit_params(event, encode_json))

    def events(
        self, org_id: OrgId, *, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]:
        if entity_id is None:
            found = self._db.all(AUDIT_EVENTS_OF_ORG, (org_id, limit))
        else:
            found = self._db.all(AUDIT_EVENTS_OF_ENTITY, (org_id, entity_id, limit))
        return [audit_from_row(r, json.loads) for r in found]


def encode_json(value: object) -> str:
    # Keys keep the entity's field order: deterministic already, so no sorting.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
