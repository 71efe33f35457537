"""Leads in SQLite: the repository, the views as of now, and the set-based aging sweep.

A lead's status now is one SQL expression (``NOW_STATUS``) over the stored
facts and the organisation's aging cutoffs (``domain.leads.aging.aging_cutoffs``),
the same comparisons as ``domain.leads.aging.status_by_cutoffs``. The views filter
on it, and the sweep writes it, batch by batch, without a lead passing
through Python.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.lead_status import NOW_OWNER, NOW_STATUS, cutoff_params
from contactlog_core.adapters.sqlite.lead_sweep import age_batch
from contactlog_core.adapters.sqlite.paging import order_by
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadId, LeadStatus, TouchKind
from contactlog_core.domain.leads.queries import (
    VIEW_STATUSES,
    LeadQuery,
    LeadRow,
    LeadSort,
    LeadView,
    cue_of,
)
from contactlog_core.domain.leads.query_rules import stored_anchor
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared.paging import Page
from contactlog_core.domain.shared.text import name_key
from contactlog_core.errors import NotFound
from contactlog_core.instants import from_micros, to_micros
from contactlog_core.ports import AgingBatch, AgingRequest

__all__ = ["SqliteLeads", "lead_from_row", "lead_params"]

INSERT_LEAD = """
INSERT INTO leads (id, org_id, name, name_key, contact, owner, follow_up_at, last_touch_at,
                   last_touch_by, last_touch_kind, anchor_at, archived_reason, archive_note,
                   status, created_by, created_at, updated_at, version)
VALUES (:id, :org_id, :name, :name_key, :contact, :owner, :follow_up_at, :last_touch_at,
        :last_touch_by, :last_touch_kind, :anchor_at, :archived_reason, :archive_note,
        :status, :created_by, :created_at, :updated_at, :version)
"""
SELECT_LEAD = "SELECT * FROM leads WHERE id = ? AND org_id = ?"
SELECT_LEAD_VERSION = "SELECT version FROM leads WHERE id = ? AND org_id = ?"
UPDATE_LEAD = """
UPDATE leads
   SET name = :name, name_key = :name_key, contact = :contact, owner = :owner,
       follow_up_at = :follow_up_at, last_touch_at = :last_touch_at,
       last_touch_by = :last_touch_by, last_touch_kind = :last_touch_kind,
       anchor_at = :anchor_at, archived_reason = :archived_reason,
       archive_note = :archive_note, status = :status, updated_at = :updated_at,
       version = :version
 WHERE id = :id AND org_id = :org_id AND version = :expected_version
"""

# What each view can contain, as ranges the indexes serve; NOW_STATUS then decides.
_AGING = "d.archived_reason IS NULL AND (d.follow_up_at IS NULL OR d.follow_up_at <= :now)"
_VIEW_RANGES: dict[LeadView, str] = {
    LeadView.TO_BE_SCHEDULED: f"{_AGING} AND d.anchor_at > :available",
    LeadView.SCHEDULED: "d.archived_reason IS NULL AND d.follow_up_at > :now",
    LeadView.LEAD_BANK: f"{_AGING} AND d.anchor_at <= :abandoned",
    LeadView.ARCHIVED: "d.archived_reason IS NOT NULL",
}
_SORT_COLUMNS: dict[LeadSort, tuple[str, bool]] = {
    LeadSort.NAME: ("v.name_key", False),
    LeadSort.STATUS: ("v.now_status", False),
    LeadSort.OWNER_NAME: ("o.name_key", True),
    LeadSort.FOLLOW_UP_AT: ("v.follow_up_at", True),
    LeadSort.LAST_TOUCH_AT: ("v.last_touch_at", False),
    LeadSort.CREATED_AT: ("v.created_at", False),
    LeadSort.UPDATED_AT: ("v.updated_at", False),
}


def lead_params(lead: Lead) -> dict[str, Any]:
    """The ``leads`` columns of ``lead`` as named parameters."""
    return {
        "id": lead.id,
        "org_id": lead.org_id,
        "name": lead.name,
        "name_key": name_key(lead.name),
        "contact": lead.contact,
        "owner": lead.owner,
        "follow_up_at": None if lead.follow_up_at is None else to_micros(lead.follow_up_at),
        "last_touch_at": to_micros(lead.last_touch_at),
        "last_touch_by": lead.last_touch_by,
        "last_touch_kind": lead.last_touch_kind.value,
        "anchor_at": to_micros(stored_anchor(lead)),
        "archived_reason": None if lead.archived_reason is None else lead.archived_reason.value,
        "archive_note": lead.archive_note,
        "status": lead.status.value,
        "created_by": lead.created_by,
        "created_at": to_micros(lead.created_at),
        "updated_at": to_micros(lead.updated_at),
        "version": lead.version,
    }


def lead_from_row(row: sqlite3.Row) -> Lead:
    follow_up = row["follow_up_at"]
    reason = row["archived_reason"]
    return Lead(
        id=LeadId(row["id"]),
        org_id=OrgId(row["org_id"]),
        name=row["name"],
        contact=row["contact"],
        owner=row["owner"],
        follow_up_at=None if follow_up is None else from_micros(follow_up),
        last_touch_at=from_micros(row["last_touch_at"]),
        last_touch_by=StaffId(row["last_touch_by"]),
        last_touch_kind=TouchKind(row["last_touch_kind"]),
        archived_reason=None if reason is None else ArchiveReason(reason),
        archive_note=row["archive_note"],
        status=LeadStatus(row["status"]),
        created_by=StaffId(row["created_by"]),
        created_at=from_micros(row["created_at"]),
        updated_at=from_micros(row["updated_at"]),
        version=row["version"],
    )


# --- the views -------------------------------------------------------------------------------

_VIEW_ROWS = f"""
SELECT v.*, o.name AS owner_name FROM (
    SELECT d.*, ({NOW_STATUS}) AS now_status, ({NOW_OWNER}) AS now_owner
      FROM leads d WHERE {{where}}
) v LEFT JOIN staff o ON o.id = v.now_owner
 WHERE {{status_filter}}
"""
_VIEW_COUNT = f"""
SELECT count(*) FROM (SELECT ({NOW_STATUS}) AS now_status, ({NOW_OWNER}) AS now_owner
                        FROM leads d WHERE {{where}}) v
 WHERE {{status_filter}}
"""


def _view_filter(query: LeadQuery) -> tuple[str, str, dict[str, Any]]:
    params: dict[str, Any] = {"org_id": query.org_id, **cutoff_params(query.cutoffs)}
    where = ["d.org_id = :org_id", _VIEW_RANGES[query.view]]
    if query.starts is not None:
        where.append("d.follow_up_at >= :starts")
        params["starts"] = to_micros(query.starts)
    if query.ends is not None:
        where.append("d.follow_up_at < :ends")
        params["ends"] = to_micros(query.ends)
    for n, term in enumerate(query.name_terms):
        where.append(f"instr(d.name_key, :term{n}) > 0")
        params[f"term{n}"] = " " + term
    statuses = sorted(VIEW_STATUSES[query.view])
    status_filter = [f"v.now_status IN ({', '.join(repr(str(s)) for s in statuses)})"]
    if query.owner is not None:
        where.append("d.owner = :owner")
        status_filter.append("v.now_owner = :owner")
        params["owner"] = query.owner
    return " AND ".join(where), " AND ".join(status_filter), params


def lead_page(db: Database, query: LeadQuery) -> Page[LeadRow]:
    where, status_filter, params = _view_filter(query)
    total_row = db.run(_VIEW_COUNT.format(where=where, status_filter=status_filter), params)
    total = int(total_row.fetchone()[0])
    sql = (
        _VIEW_ROWS.format(where=where, status_filter=status_filter)
        + order_by(query.sort, _SORT_COLUMNS, "v.id")
        + " LIMIT :limit OFFSET :offset"
    )
    params.update(limit=query.per_page, offset=(query.page - 1) * query.per_page)
    items = tuple(_row(r) for r in db.run(sql, params).fetchall())
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def _row(r: sqlite3.Row) -> LeadRow:
    status = LeadStatus(r["now_status"])
    reason = r["archived_reason"]
    return LeadRow(
        id=LeadId(r["id"]),
        name=r["name"],
        contact=r["contact"],
        status=status,
        cue=cue_of(status),
        owner=r["now_owner"],
        owner_name=r["owner_name"],
        follow_up_at=None if r["follow_up_at"] is None else from_micros(r["follow_up_at"]),
        last_touch_at=from_micros(r["last_touch_at"]),
        last_touch_by=StaffId(r["last_touch_by"]),
        last_touch_kind=TouchKind(r["last_touch_kind"]),
        archived_reason=None if reason is None else ArchiveReason(reason),
        created_at=from_micros(r["created_at"]),
        updated_at=from_micros(r["updated_at"]),
        version=r["version"],
    )


class SqliteLeads:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, lead: Lead) -> None:
        self._db.run(INSERT_LEAD, lead_params(lead))

    def get(self, org_id: OrgId, lead_id: LeadId) -> Lead:
        row = self._db.one(SELECT_LEAD, (lead_id, org_id))
        if row is None:
            raise NotFound("lead", lead_id)
        return lead_from_row(row)

    def update(self, lead: Lead, *, expected_version: int) -> None:
        changed = self._db.run(
            UPDATE_LEAD, {**lead_params(lead), "expected_version": expected_version}
        )
        if changed.rowcount != 1:
            key = (lead.id, lead.org_id)
            raise self._db.conflict("lead", lead.id, expected_version, SELECT_LEAD_VERSION, key)

    def page(self, query: LeadQuery) -> Page[LeadRow]:
        return lead_page(self._db, query)

    def age_batch(self, request: AgingRequest) -> AgingBatch:
        # The events are written in SQL, with ids made there of new_id's form (lead_sweep).
        return age_batch(self._db, request)
