"""The aging sweep in SQLite: one batch of one organisation's leads, set-based.

A batch is a range of rowids of the organisation's unarchived leads, read in
rowid order through ``leads_by_org`` (so the table is read front to back,
not hopping about). Each lead's status now is worked out once, into a
temporary table of the moves; the audit events and the update are then
written from it, each in one statement. No lead passes through Python.
"""

from __future__ import annotations

from typing import Any

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.lead_status import NOW_STATUS, cutoff_params
from contactlog_core.domain.aging import AgingCutoffs
from contactlog_core.domain.leads import LeadStatus
from contactlog_core.domain.organisations import OrgId
from contactlog_core.ports import AgingBatch, SweepKey

__all__ = ["age_batch"]

_MOVES_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS lead_moves (
    rid     INTEGER PRIMARY KEY,
    before  TEXT NOT NULL,
    after   TEXT NOT NULL,
    owner   TEXT
)
"""
_CLEAR_MOVES = "DELETE FROM temp.lead_moves"
# The last rowid of the batch: an index-only walk of ``size`` entries.
_BATCH_END = """
SELECT rowid FROM leads
 WHERE org_id = :org_id AND archived_reason IS NULL AND rowid > :after
 ORDER BY rowid LIMIT 1 OFFSET :last
"""
# A lead written after the sweep's instant is newer than what the sweep knows: left
# alone, so that a sweep that read the clock earlier never writes a lead back in time.
_FIND_MOVES = f"""
INSERT INTO temp.lead_moves (rid, before, after, owner)
SELECT rid, status, now_status, CASE WHEN now_status = 'AVAILABLE' THEN NULL ELSE owner END
  FROM (SELECT d.rowid AS rid, d.status, d.owner, d.updated_at, ({NOW_STATUS}) AS now_status
          FROM leads d INDEXED BY leads_by_org
         WHERE d.org_id = :org_id AND d.archived_reason IS NULL
           AND d.rowid > :after AND d.rowid <= :until)
 WHERE updated_at <= :now
   AND (status IS NOT now_status OR (now_status = 'AVAILABLE' AND owner IS NOT NULL))
"""
_TRANSITIONS = "SELECT before, after, count(*) AS n FROM temp.lead_moves GROUP BY 1, 2"


def _iso(micros: str) -> str:
    # The audit trail's text for an instant (as ``serialization`` writes it), in plain SQL:
    # whole seconds by strftime, then the microseconds if any, for instants before 1970 too.
    fraction = f"(({micros} % 1000000) + 1000000) % 1000000"
    return (
        f"CASE WHEN {micros} IS NULL THEN NULL ELSE"
        f" strftime('%Y-%m-%dT%H:%M:%S', ({micros} - {fraction}) / 1000000, 'unixepoch')"
        f" || CASE WHEN {fraction} = 0 THEN '' ELSE printf('.%06d', {fraction}) END"
        " || '+00:00' END"
    )


def _snapshot(status: str, owner: str, version: str, updated_at: str) -> str:
    # The lead as cattrs unstructures it (the memory store's audit), built in SQL.
    return f"""json_object(
        'id', d.id, 'org_id', d.org_id, 'name', d.name, 'contact', d.contact,
        'owner', {owner}, 'follow_up_at', {_iso("d.follow_up_at")},
        'last_touch_at', {_iso("d.last_touch_at")}, 'last_touch_by', d.last_touch_by,
        'last_touch_kind', d.last_touch_kind, 'archived_reason', d.archived_reason,
        'archive_note', d.archive_note, 'status', {status}, 'created_by', d.created_by,
        'created_at', {_iso("d.created_at")}, 'updated_at', {_iso(updated_at)},
        'version', {version})"""


_AUDIT_MOVES = f"""
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before, after)
SELECT lower(hex(randomblob(16))), d.org_id, 'lead', d.id, 'age', NULL, :now,
       {_snapshot("d.status", "d.owner", "d.version", "d.updated_at")},
       {_snapshot("m.after", "m.owner", "d.version + 1", ":now")}
  FROM temp.lead_moves m JOIN leads d ON d.rowid = m.rid
 ORDER BY m.rid
"""
# The rowid range keeps SQLite from scanning the table for the join (it would, without).
_MAKE_MOVES = """
UPDATE leads SET status = m.after, owner = m.owner, version = leads.version + 1,
                 updated_at = :now
  FROM temp.lead_moves m
 WHERE leads.rowid = m.rid AND leads.rowid > :after AND leads.rowid <= :until
"""


def age_batch(
    db: Database, org_id: OrgId, cutoffs: AgingCutoffs, *, after: SweepKey | None, size: int
) -> AgingBatch:
    """Age up to ``size`` of the organisation's leads after ``after``; see ``ports.LeadRepository``."""
    params: dict[str, Any] = {"org_id": org_id, **cutoff_params(cutoffs)}
    params.update(after=-1 if after is None else after, last=size - 1)
    end = db.one(_BATCH_END, params)
    params["until"] = 2**63 - 1 if end is None else end[0]
    db.run(_MOVES_TABLE)
    # Empty on entry: each batch clears it before committing, and a failed one rolls back.
    db.run(_FIND_MOVES, params)
    transitions = {
        (LeadStatus(r["before"]), LeadStatus(r["after"])): int(r["n"]) for r in db.all(_TRANSITIONS)
    }
    if transitions:
        db.run(_AUDIT_MOVES, params)
        db.run(_MAKE_MOVES, params)
    db.run(_CLEAR_MOVES)
    return AgingBatch(transitions=transitions, next=None if end is None else end[0])
