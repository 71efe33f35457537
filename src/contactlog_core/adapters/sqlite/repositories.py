"""The SQLite repositories: plain SQL from ``queries``, rows mapped by ``rows``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from contactlog_core.adapters.sqlite import queries as q
from contactlog_core.adapters.sqlite import rows
from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.list_queries import badge_counts, follow_up_page, log_page
from contactlog_core.domain.logs.model import ContactLog, LogId, LogStatus
from contactlog_core.domain.logs.queries import (
    Badges,
    FollowUpQuery,
    FollowUpRow,
    LogQuery,
    LogSummary,
)
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.paging import Page
from contactlog_core.domain.shared.text import name_key
from contactlog_core.errors import ConcurrencyConflict, NotFound, ValidationError

__all__ = ["SqliteAudit", "SqliteLogs", "SqliteOrganisations", "SqliteStaff"]


class SqliteOrganisations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, org: Organisation) -> None:
        if self._db.one(q.SELECT_ORGANISATION, (org.id,)) is not None:
            raise ValidationError("organisation.id", f"{org.id!r} already exists")
        self._db.run(q.INSERT_ORGANISATION, rows.organisation_params(org))

    def get(self, org_id: OrgId) -> Organisation:
        row = self._db.one(q.SELECT_ORGANISATION, (org_id,))
        if row is None:
            raise NotFound("organisation", org_id)
        return rows.organisation_from_row(row)

    def update(self, org: Organisation, *, expected_version: int) -> None:
        params = {**rows.organisation_params(org), "expected_version": expected_version}
        if self._db.run(q.UPDATE_ORGANISATION, params).rowcount != 1:
            row = self._db.one(q.SELECT_ORGANISATION, (org.id,))
            actual = None if row is None else row["version"]
            raise ConcurrencyConflict("organisation", org.id, expected_version, actual)

    def list(self) -> Sequence[Organisation]:
        return [rows.organisation_from_row(r) for r in self._db.all(q.LIST_ORGANISATIONS)]


class SqliteStaff:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, staff: Staff) -> None:
        if self._db.one(q.SELECT_STAFF, (staff.id,)) is not None:
            raise ValidationError("staff.id", f"{staff.id!r} already exists")
        self._db.run(
            q.INSERT_STAFF,
            {
                **_plain(staff),
                "name_key": name_key(staff.name),
                "created_at": rows.to_micros(staff.created_at),
            },
        )

    def get(self, org_id: OrgId, staff_id: StaffId) -> Staff:
        row = self._db.one(q.SELECT_STAFF_OF_ORG, (staff_id, org_id))
        if row is None:
            raise NotFound("staff", staff_id)
        return rows.staff_from_row(row)

    def find(self, staff_id: StaffId) -> Staff:
        row = self._db.one(q.SELECT_STAFF, (staff_id,))
        if row is None:
            raise NotFound("staff", staff_id)
        return rows.staff_from_row(row)

    def list(self, org_id: OrgId) -> Sequence[Staff]:
        return [rows.staff_from_row(r) for r in self._db.all(q.LIST_STAFF, (org_id,))]


class SqliteLogs:
    def __init__(self, db: Database) -> None:
        self._db = db
        # What this unit of work read or wrote, so a save writes only what changed:
        # the log (for its follow-ups) and its row as stored (for its columns).
        self._loaded: dict[str, ContactLog] = {}
        self._stored: dict[str, dict[str, Any]] = {}

    def add(self, log: ContactLog) -> None:
        # The primary key refuses a second log with the same id (a ValidationError).
        params = rows.log_params(log)
        self._db.run(q.INSERT_LOG, params)
        self._write_follow_ups(log, previous=None)
        self._remember(log, params)

    def get(self, org_id: OrgId, log_id: LogId) -> ContactLog:
        row = self._db.one(q.SELECT_LOG, (log_id, org_id))
        if row is None:
            raise NotFound("log", log_id)
        follow_ups = [
            rows.follow_up_from_row(r) for r in self._db.all(q.SELECT_FOLLOW_UPS, (log_id,))
        ]
        log = rows.log_from_row(row, follow_ups)
        self._remember(log, dict(row))
        return log

    def update(self, log: ContactLog, *, expected_version: int) -> None:
        params = rows.log_params(log)
        before = self._stored.get(log.id)
        columns = q.LOG_UPDATABLE
        if before is not None and before["version"] == expected_version:
            # The row is as this unit of work saw it (else the version check fails).
            columns = tuple(c for c in q.LOG_UPDATABLE if params[c] != before[c])
        changed = self._db.run(
            q.update_log(columns), {**params, "expected_version": expected_version}
        )
        if changed.rowcount != 1:
            row = self._db.one(q.SELECT_LOG_VERSION, (log.id, log.org_id))
            raise ConcurrencyConflict(
                "log", log.id, expected_version, None if row is None else row[0]
            )
        self._write_follow_ups(log, previous=self._loaded.get(log.id))
        self._remember(log, params)

    def _remember(self, log: ContactLog, stored: dict[str, Any]) -> None:
        self._loaded[log.id] = log
        self._stored[log.id] = stored

    def list(self, query: LogQuery) -> Page[LogSummary]:
        return log_page(self._db, query)

    def badges(self, org_id: OrgId, staff_id: StaffId) -> Badges:
        return badge_counts(self._db, org_id, staff_id)

    def follow_ups(self, query: FollowUpQuery) -> Page[FollowUpRow]:
        return follow_up_page(self._db, query)

    def _write_follow_ups(self, log: ContactLog, previous: ContactLog | None) -> None:
        before = {} if previous is None else {f.id: f for f in previous.follow_ups}
        completed = LogStatus.COMPLETED
        # Rewritten follow-ups carry their own ``open``; the untouched ones need it set
        # only when the log became, or stopped being, completed.
        if previous is not None and (previous.status is completed) != (log.status is completed):
            self._db.run(
                q.SET_FOLLOW_UPS_OPEN, {"log_id": log.id, "log_open": log.status is not completed}
            )
        for position, fu in enumerate(log.follow_ups):
            if before.get(fu.id) != fu:
                params = rows.follow_up_params(log, position, fu)
                if self._db.run(q.UPSERT_FOLLOW_UP, params).rowcount != 1:
                    raise ValidationError("follow_up.id", f"{fu.id!r} belongs to another log")


class SqliteAudit:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, event: AuditEvent) -> None:
        self._db.run(q.INSERT_AUDIT_EVENT, rows.audit_params(event, _encode))

    def events(
        self, org_id: OrgId, *, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]:
        if entity_id is None:
            found = self._db.all(q.AUDIT_EVENTS_OF_ORG, (org_id, limit))
        else:
            found = self._db.all(q.AUDIT_EVENTS_OF_ENTITY, (org_id, entity_id, limit))
        return [rows.audit_from_row(r, json.loads) for r in found]


def _encode(value: object) -> str:
    # Keys keep the entity's field order: deterministic already, so no sorting.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plain(entity: Organisation | Staff) -> dict[str, Any]:
    return attrs.asdict(entity, recurse=False)
