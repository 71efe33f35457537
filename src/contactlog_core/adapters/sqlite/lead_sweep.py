"""The aging sweep in SQLite: one batch of one organisation's leads, set-based.

A batch is a range of rowids of the organisation's unarchived leads, read in
rowid order through ``leads_by_org`` (so the table is read front to back,
not hopping about). Each lead's status now is worked out once, into a
temporary table of the moves; the audit events and the update are then
written from it, each in one statement. No lead passes through Python.

What a batch costs is mostly pages written: each commit writes every page it
dirtied to the WAL, and each checkpoint writes them again to the file. So an
event keeps the lead after and only what differed before (as the store keeps
every change), the events' ids are time-ordered (their unique index grows at
its end), the owner is set only where it goes (and the owner indexes hold
only owned leads, so a lead going to the lead bank leaves them and enters
nothing), and while an organisation is swept its connection keeps a bigger
page cache and checkpoints less often (``_SWEEPING``): the pages that batch
after batch dirties again (the ends of the audit trail's indexes, each
owner's run of leads turning available) are then checkpointed once for
several batches, not once for each. Both settings go back after the
organisation's last batch.
"""

from __future__ import annotations

from typing import Any

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.lead_status import NOW_STATUS, cutoff_params
from contactlog_core.domain.leads.model import LeadStatus
from contactlog_core.ports import AgingBatch, AgingRequest

__all__ = ["age_batch"]

# While sweeping: a 64 MiB page cache (the store's connections keep 16), so that a
# batch's dirty pages and the indexes it keeps returning to stay in memory; and a
# checkpoint once the WAL holds 16,384 pages (64 MiB) rather than SQLite's 1,000.
_SWEEPING = ("PRAGMA cache_size = -65536", "PRAGMA wal_autocheckpoint = 16384")
_SETTINGS = ("cache_size", "wal_autocheckpoint")
# The settings each sweeping connection had before, by ``id`` (connections take no
# attributes nor weak references); restored after an organisation's last batch.
_saved: dict[int, tuple[int, ...]] = {}

# A move holds what its audit event needs, so that writing it reads no lead again: the
# lead after (``snapshot``, JSON text) and what differed before (``changes``).
_MOVES_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS lead_moves (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    owner      TEXT,
    changes    TEXT NOT NULL,
    snapshot   TEXT NOT NULL
)
"""
_CLEAR_MOVES = "DELETE FROM temp.lead_moves"
# The last rowid of the batch: an index-only walk of ``size`` entries.
_BATCH_END = """
SELECT rowid FROM leads
 WHERE org_id = :org_id AND archived_reason IS NULL AND rowid > :after
 ORDER BY rowid LIMIT 1 OFFSET :last
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


_OWNER_NOW = "CASE WHEN now_status = 'AVAILABLE' THEN NULL ELSE owner END"
# The lead after, as cattrs unstructures it (the memory store's audit), in its key order.
_AFTER = f"""json_object(
    'id', id, 'org_id', org_id, 'name', name, 'contact', contact, 'owner', {_OWNER_NOW},
    'follow_up_at', {_iso("follow_up_at")}, 'last_touch_at', {_iso("last_touch_at")},
    'last_touch_by', last_touch_by, 'last_touch_kind', last_touch_kind,
    'archived_reason', archived_reason, 'archive_note', archive_note, 'status', now_status,
    'created_by', created_by, 'created_at', {_iso("created_at")},
    'updated_at', {_iso(":now")}, 'version', version + 1)"""
# The lead before, as what differs from after (``audit.audit_params`` keeps every change's
# so), in the lead's key order: the owner if the sweep clears it, the status if it
# changes, the time written unless that is the sweep's instant, and the version.
_BEFORE_CHANGES = f"""'{{'
    || CASE WHEN owner IS NOT {_OWNER_NOW} THEN '"owner":' || json_quote(owner) || ','
       ELSE '' END
    || CASE WHEN status != now_status THEN '"status":' || json_quote(status) || ',' ELSE '' END
    || CASE WHEN updated_at < :now THEN '"updated_at":' || json_quote({_iso("updated_at")}) || ','
       ELSE '' END
    || '"version":' || version || '}}'"""


# A lead written after the sweep's instant is newer than what the sweep knows: left
# alone, so that a sweep that read the clock earlier never writes a lead back in time.
# The columns after WHERE are worked out only for the leads that move.
_FIND_MOVES = f"""
INSERT INTO temp.lead_moves (rid, id, before, after, owner, changes, snapshot)
SELECT rid, id, status, now_status, {_OWNER_NOW}, {_BEFORE_CHANGES}, {_AFTER}
  FROM (SELECT d.rowid AS rid, d.status, d.owner, d.updated_at, ({NOW_STATUS}) AS now_status,
               d.id, d.org_id, d.name, d.contact, d.follow_up_at, d.last_touch_at,
               d.last_touch_by, d.last_touch_kind, d.archived_reason, d.archive_note,
               d.created_by, d.created_at, d.version
          FROM leads d INDEXED BY leads_by_org
         WHERE d.org_id = :org_id AND d.archived_reason IS NULL
           AND d.rowid > :after AND d.rowid <= :until) d
 WHERE updated_at <= :now
   AND (status IS NOT now_status OR (now_status = 'AVAILABLE' AND owner IS NOT NULL))
"""


# The events' ids are time-ordered: the sweep's instant, then the lead's rowid, then 40
# random bits (32 hex digits, as every id). A batch's ids then sort after the last
# batch's, so the unique index on ``audit_events.id`` grows at its end, a few pages per
# batch, instead of taking a random page for every event (uuid4's ids): each of those
# pages is written to the WAL again at every commit and again by each checkpoint.
_EVENT_ID = (
    "printf('%014x', :now & 72057594037927935)"  # the instant: 14 hex digits
    " || printf('%08x', m.rid & 4294967295)"  # the lead's rowid: 8
    " || lower(hex(randomblob(5)))"  # 40 random bits: 10
)
_AUDIT_MOVES = f"""
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before_changes,
                          after)
SELECT {_EVENT_ID}, :org_id, 'lead', m.id, 'age', NULL, :now, m.changes, m.snapshot
  FROM temp.lead_moves m
 ORDER BY m.rid
"""
# Status, version and updated_at are in no index, so this writes the table's pages only.
# The rowid range keeps SQLite from scanning the table for the join (it would, without).
_MAKE_MOVES = """
UPDATE leads SET status = m.after, version = leads.version + 1, updated_at = :now
  FROM temp.lead_moves m
 WHERE leads.rowid = m.rid AND leads.rowid > :after AND leads.rowid <= :until
   AND m.owner IS NOT NULL
"""
# The owner only where it goes, in the same write of the row: SQLite rewrites the entries
# of every index holding a column that an UPDATE sets, changed or not, and both owner
# indexes are keyed on random owners. Setting it for every moved lead cost a random page
# of each per lead.
_MAKE_BANK_MOVES = """
UPDATE leads SET status = m.after, owner = NULL, version = leads.version + 1, updated_at = :now
  FROM temp.lead_moves m
 WHERE leads.rowid = m.rid AND leads.rowid > :after AND leads.rowid <= :until
   AND m.owner IS NULL
"""


def age_batch(db: Database, request: AgingRequest) -> AgingBatch:
    """Age the batch of leads ``request`` names; see ``ports.LeadRepository.age_batch``."""
    _sweeping(db)
    try:
        batch = _age(db, request)
    except BaseException:
        _as_before(db)
        raise
    if batch.next is None:
        _as_before(db)  # before the last commit, which then checkpoints what is left
    return batch


def _age(db: Database, request: AgingRequest) -> AgingBatch:
    params: dict[str, Any] = {"org_id": request.org_id, **cutoff_params(request.cutoffs)}
    params.update(after=-1 if request.after is None else request.after, last=request.size - 1)
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
        db.run(_MAKE_BANK_MOVES, params)
    db.run(_CLEAR_MOVES)
    return AgingBatch(transitions=transitions, next=None if end is None else end[0])


def _sweeping(db: Database) -> None:
    if id(db.conn) in _saved:
        return
    _saved[id(db.conn)] = tuple(int(db.run(f"PRAGMA {name}").fetchone()[0]) for name in _SETTINGS)
    for pragma in _SWEEPING:
        db.run(pragma)


def _as_before(db: Database) -> None:
    saved = _saved.pop(id(db.conn), None)
    if saved is not None:
        for name, value in zip(_SETTINGS, saved, strict=True):
            db.run(f"PRAGMA {name} = {value:d}")
