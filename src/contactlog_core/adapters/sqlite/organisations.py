"""Organisations and their staff in SQLite: the repositories, their SQL and their rows.

An organisation's aging policy and reminder settings are stored as JSON text.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import attrs

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.organisations.reminder_settings import ReminderSettings
from contactlog_core.domain.shared.text import name_key
from contactlog_core.errors import NotFound, ValidationError
from contactlog_core.instants import from_micros, to_micros
from contactlog_core.serialization import structure, unstructure

__all__ = [
    "SqliteOrganisations",
    "SqliteStaff",
    "organisation_from_row",
    "organisation_params",
    "staff_from_row",
]

INSERT_ORGANISATION = """
INSERT INTO organisations (id, name, timezone, aging, reminders, created_at, version)
VALUES (:id, :name, :timezone, :aging, :reminders, :created_at, :version)
"""

SELECT_ORGANISATION = "SELECT * FROM organisations WHERE id = ?"

LIST_ORGANISATIONS = "SELECT * FROM organisations ORDER BY id"

UPDATE_ORGANISATION = """
UPDATE organisations
   SET name = :name, timezone = :timezone, aging = :aging, reminders = :reminders,
       version = :version
 WHERE id = :id AND version = :expected_version
"""

INSERT_STAFF = """
INSERT INTO staff (id, org_id, name, name_key, role, created_at, version)
VALUES (:id, :org_id, :name, :name_key, :role, :created_at, :version)
"""

SELECT_STAFF = "SELECT * FROM staff WHERE id = ?"

SELECT_STAFF_OF_ORG = "SELECT * FROM staff WHERE id = ? AND org_id = ?"

LIST_STAFF = "SELECT * FROM staff WHERE org_id = ? ORDER BY name, id"


class SqliteOrganisations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, org: Organisation) -> None:
        _refuse_taken(self._db, SELECT_ORGANISATION, "organisation", org.id)
        self._db.run(INSERT_ORGANISATION, organisation_params(org))

    def get(self, org_id: OrgId) -> Organisation:
        row = self._db.one(SELECT_ORGANISATION, (org_id,))
        if row is None:
            raise NotFound("organisation", org_id)
        return organisation_from_row(row)

    def update(self, org: Organisation, *, expected_version: int) -> None:
        params = {**organisation_params(org), "expected_version": expected_version}
        if self._db.run(UPDATE_ORGANISATION, params).rowcount != 1:
            raise self._db.conflict(
                "organisation", org.id, expected_version, SELECT_ORGANISATION, (org.id,)
            )

    def list(self) -> Sequence[Organisation]:
        return [organisation_from_row(r) for r in self._db.all(LIST_ORGANISATIONS)]


class SqliteStaff:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, staff: Staff) -> None:
        _refuse_taken(self._db, SELECT_STAFF, "staff", staff.id)
        self._db.run(
            INSERT_STAFF,
            {
                **_plain(staff),
                "name_key": name_key(staff.name),
                "created_at": to_micros(staff.created_at),
            },
        )

    def get(self, org_id: OrgId, staff_id: StaffId) -> Staff:
        row = self._db.one(SELECT_STAFF_OF_ORG, (staff_id, org_id))
        if row is None:
            raise NotFound("staff", staff_id)
        return staff_from_row(row)

    def find(self, staff_id: StaffId) -> Staff:
        row = self._db.one(SELECT_STAFF, (staff_id,))
        if row is None:
            raise NotFound("staff", staff_id)
        return staff_from_row(row)

    def list(self, org_id: OrgId) -> Sequence[Staff]:
        return [staff_from_row(r) for r in self._db.all(LIST_STAFF, (org_id,))]


def _refuse_taken(db: Database, select_sql: str, kind: str, record_id: str) -> None:
    # The same refusal as the memory store's, before the primary key's less precise one.
    if db.one(select_sql, (record_id,)) is not None:
        raise ValidationError(f"{kind}.id", f"{record_id!r} already exists")


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


def _plain(entity: Organisation | Staff) -> dict[str, Any]:
    return attrs.asdict(entity, recurse=False)
