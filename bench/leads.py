"""The lead aging sweep at scale against hand-written SQL and a load-age-save loop: ``nox -s bench -- leads``.

One organisation (Europe/London, the default ``AgingPolicy``: 2 / 3 / 5
calendar days) with 50 staff and ``--leads N`` leads (default 1,000,000),
relative to the sweep instant ``NOW`` (a nightly run at 02:00, a week after
the clocks went back): about 30% scheduled ahead, 15% whose follow-up has
passed (within the last 12 days), 52% never scheduled with their last touch
over the past 20 days (more recent ones more likely: fresh, past due,
abandoned and available all occur) and 3% archived. The stored ``status`` is
what ``age`` said when the lead was last written: at its last touch, or by a
sweep ``--stale-days`` days before ``NOW`` (default 2) if that sweep moved it;
so the sweep at ``NOW`` has real work to do. Lead ids have the form the
library gives them (``application.context.new_id``: a clock's reading, then
random bits), so they sort in the order the leads were added, the file's
order.

**Load.** The schema, the organisation and the staff are made by the library;
the leads are inserted with raw ``executemany`` in transactions of
``LOAD_BATCH``, their stored columns computed as ``adapters.sqlite.leads.
lead_params`` does (``name_key`` by the library's ``name_key``, ``anchor_at``
= the later of the last touch and the follow-up; the schema's CHECKs hold
both). Then **checked**: every row's ``name_key`` (in SQL, with the library's
function) and "no owner exactly when available"; for ``SAMPLE`` leads,
``lead_params(uow.leads.get(...))`` against what was inserted and the stored
status against ``domain.leads.aging.age`` at the lead's ``updated_at``. The file is
checkpointed and copied once per contender, so each starts from the same data.

**Contenders**, each in a fresh ``python`` process on its own copy, at ``NOW``:

1. **ours**: ``app.leads.sweep(batch_size=--batch-size)`` on a
   ``ContactLogApp(SqliteStore(path), clock=ManualClock(NOW))``.
2. **sqlite3 by hand**: the cutoffs from ``domain.leads.aging.aging_cutoffs`` (the
   date arithmetic is the hard part; the baseline is about the SQL), then in
   one ``BEGIN IMMEDIATE ... COMMIT`` one ``INSERT INTO audit_events ...
   SELECT`` with the after snapshot built by ``json_object`` and the fields
   that differed before by ``||``, as the store keeps an event (the
   instants written as ISO 8601 by ``strftime``/``printf``, no Python
   function), and one ``UPDATE leads SET status = CASE ... END, owner = ...,
   version = version + 1, updated_at = ...`` of the leads whose status or owner
   moves. The same work as ours, audit rows included, on a connection with
   the store's settings (WAL, ``synchronous=NORMAL``) and SQLite's defaults
   otherwise (a 2 MiB page cache, a checkpoint per 1,000 WAL pages). Written
   as one would by hand, it does not take up ours' three write-saving ideas
   (see ``adapters/sqlite/lead_sweep.py``): its event ids are
   ``lower(hex(randomblob(16)))`` (ours are time-ordered, so their unique
   index grows at its end), its one ``UPDATE`` sets ``owner`` on every moved
   lead (ours sets it only where it goes: SQLite rewrites the entries of every
   index holding a column an ``UPDATE`` sets, changed or not), and its
   connection keeps its settings (ours borrows a 64 MiB cache and a checkpoint
   per 16,384 pages while it sweeps). Same rows, same events byte for byte,
   same indexes maintained.
3. **loop, a unit of work per lead**: what a host developer writes by
   default with the library's public pieces (as with an ORM in autocommit:
   load a lead, age it, save it, each in its own transaction): the lead ids
   by one ``SELECT``, then for each id one unit of work that ``uow.leads.get``s
   the lead, asks ``domain.leads.commands.age_change``, and saves a change with
   ``uow.leads.update`` and the services' own ``Context.audit``. The issue's
   "at least 20x faster than a load-age-save loop" is read against this one.
4. **loop, batched**: the same loop already tuned by hand: ``--batch-size``
   leads per unit of work (10,000 by default). Printed beside it, with its own
   ratio against the same target.

Both loops sweep the same leads as ours (at 1M, the per-lead loop takes
minutes), each on its own copy of the same file: the target is read like
for like, against ours' median run. ``--loop-leads N`` runs the loops on a
file of the first ``N`` leads instead (the same generator, so the same mix),
for a shorter run; ours then runs once more, on a copy of that file, and the
target is read against that run.

With ``--rounds N`` (default 3) ours and the hand-written baseline run N
times, alternately (baseline, ours, baseline, ours, ...), each time on a
fresh copy, and the table shows each one's median seconds: a run of ten
seconds shows more of the machine's passing moods than the loop's run of
minutes does. The machine's load average (``os.getloadavg()``) is printed
before every run.

Reported: leads, changed, seconds, leads/s; ours / hand-written in seconds
(> 1 = ours slower; target <= 1.5) and ours / each loop in leads/s (target
>= 20, read on the loops' leads); our sweep's peak RSS (the high-water mark of its own
process, ``VmHWM``, target under 200 MiB at 1M) and, in a second run on
another copy, its ``tracemalloc`` peak of Python allocations; each
contender's CPU seconds and the bytes it passed to read and write calls.
**Checked** after the runs, failing (exit 1) on any difference: ours and the
hand-written file hold the same leads (status, owner, version, updated_at)
and the same ``age`` audit events (command, actor, instant, before and after
JSON, byte for byte); likewise ours and each loop on the loop-size file; for
``SAMPLE`` leads of ours, the stored status is ``age(lead, NOW, ...)`` and an
available lead has no owner; a second sweep at ``NOW`` changes nothing. The
``EXPLAIN QUERY PLAN`` of every statement of the sweep (ours and the
baseline's) is printed.

No ``ANALYZE`` by default (the store never runs it); ``--analyze`` runs it
after the load. Run ``python bench/leads.py --leads 200000``, or ``--quick``
for a smoke run. Results go to ``bench/results/leads.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import operator
import os
import random
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any

import _common as common
import attrs
import pendulum
from _data import DAY_US, HOUR_US, SEED, add_staff, keyed, micros_of, pick
from _measure import io_mib, measured, median_run, rss_mib, run_child
from _sqlite import LOAD_BATCH, bulk_load, connect, immediate, plan, read_pragmas, traced

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.functions import register
from contactlog_core.adapters.sqlite.leads import lead_params
from contactlog_core.adapters.sqlite.organisations import organisation_from_row
from contactlog_core.application.context import Context
from contactlog_core.application.context import new_id as cl_new_id
from contactlog_core.application.leads import DEFAULT_BATCH, MAX_BATCH
from contactlog_core.domain.leads.aging import AgingCutoffs, age, aging_cutoffs
from contactlog_core.domain.leads.commands import age_change
from contactlog_core.domain.leads.model import LeadId
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.instants import from_micros
from contactlog_core.ports import AgingBatch, AgingRequest

TARGET_SQL = 1.5  # ours / hand-written, in seconds: at most
TARGET_LOOP = 20.0  # ours / loop, in leads per second: at least
TARGET_RSS_MIB = 200.0  # our sweep's peak RSS at 1M leads: under
TIMEZONE = "Europe/London"
NOW = pendulum.datetime(2026, 11, 2, 2, tz="UTC")  # the sweep instant
SETUP = NOW.subtract(days=120)  # when the organisation and staff were made
SAMPLE = 1_000
PRAGMAS = (
    "journal_mode", "synchronous", "foreign_keys", "cache_size", "wal_autocheckpoint", "page_size",
)  # fmt: skip

NOW_US = micros_of(NOW)
ID_CLOCK_US = micros_of(SETUP)  # the clock reading in the first lead's id
TOUCH_SPAN_US = 20 * DAY_US  # the last touches of unscheduled leads: the past 20 days
MISSED_SPAN_US = 12 * DAY_US  # passed follow-ups: the past 12 days
ARCHIVED_SPAN_US = 90 * DAY_US

FIRST = (
    "Sam", "Alex", "Jordan", "Kim", "Lee", "Robin", "Chris", "Pat", "Jamie", "Ali",
    "Zoé", "Mateo", "Ana", "Kai", "Nina", "Omar", "Léa", "Tomás", "Ines", "Yuki",
)  # fmt: skip
LAST = (
    "Baker", "Carter", "Dixon", "Ellis", "Fox", "Gray", "Hunt", "Irwin", "Khan", "Lloyd",
    "Moreau", "Núñez", "Olsen", "Price", "Quinn", "Reyes", "Sato", "Ténéré", "Usman", "Vance",
)  # fmt: skip
COMPANIES = ("Acme Ltd", "Northwind", "Globex", "Initech", "Umbrella plc", "Hooli", "")
# What kind of lead, by share: scheduled ahead, a follow-up passed, never scheduled, archived.
MIX = (("scheduled", 0.30), ("missed", 0.15), ("unscheduled", 0.52), ("archived", 0.03))
STAFF_TOUCHES = ("call", "note", "email", "meeting", "add", "claim", "assign")
ARCHIVE_REASONS = ("lost", "do_not_contact")

# leads columns in INSERT order: the keys of adapters.sqlite.leads.lead_params.
LEAD_COLUMNS = (
    "id", "org_id", "name", "name_key", "contact", "owner", "follow_up_at", "last_touch_at",
    "last_touch_by", "last_touch_kind", "anchor_at", "archived_reason", "archive_note",
    "status", "created_by", "created_at", "updated_at", "version",
)  # fmt: skip


# --- the data set --------------------------------------------------------------------------


@attrs.frozen
class World:
    """The organisation and its staff, as the library made them."""

    org_id: str
    staff_ids: tuple[str, ...]


Cutoffs = tuple[int, int, int, int]  # now, past_due, abandoned, available, in microseconds


def cutoff_micros(cutoffs: AgingCutoffs) -> Cutoffs:
    return (
        micros_of(cutoffs.now),
        micros_of(cutoffs.past_due),
        micros_of(cutoffs.abandoned),
        micros_of(cutoffs.available),
    )


def status_at(follow_up: int | None, anchor: int, cut: Cutoffs) -> str:
    """``domain.leads.aging.status_by_cutoffs`` on stored columns, for the loader (checked by ``age``)."""
    if follow_up is not None and follow_up > cut[0]:
        return "SCHEDULED"
    for at, status in ((cut[3], "AVAILABLE"), (cut[2], "ABANDONED"), (cut[1], "PAST_DUE")):
        if anchor <= at:
            return status
    return "NOT_SCHEDULED" if follow_up is None else "MISSED"


def status_when_touched(follow_up: int | None, touch: int) -> str:
    """What ``age`` says at the touch itself: nothing has aged yet."""
    if follow_up is None:
        return "NOT_SCHEDULED"
    return "SCHEDULED" if follow_up > touch else "MISSED"


def lead_id(rng: random.Random, i: int) -> str:
    """An id of ``context.new_id``'s form for the ``i``-th lead added: the leads were added in
    this order, so their ids sort in it (14 hex digits of a microsecond clock, then 72 random
    bits)."""
    return f"{ID_CLOCK_US + i:014x}{rng.getrandbits(72):018x}"


def ago(rng: random.Random, span: int) -> int:
    """Microseconds before ``NOW``, within ``span``; recent ones more likely."""
    return int(span * rng.random() ** 2)


def make_lead(rng: random.Random, world: World, i: int, last_sweep: Cutoffs) -> dict[str, Any]:
    """Lead number ``i``: its facts, and the status it was last written with.

    It draws the same random numbers whatever the size of the data set, so a
    smaller file holds a prefix of a larger one.
    """
    kind = pick(rng, MIX)
    follow_up = None
    if kind == "scheduled":
        touch = NOW_US - ago(rng, TOUCH_SPAN_US)
        follow_up = NOW_US + rng.randrange(HOUR_US, 21 * DAY_US)
    elif kind == "missed":
        follow_up = NOW_US - ago(rng, MISSED_SPAN_US)
        touch = follow_up - rng.randrange(HOUR_US, 14 * DAY_US)  # when it was scheduled
    else:
        touch = NOW_US - ago(rng, ARCHIVED_SPAN_US if kind == "archived" else TOUCH_SPAN_US)
    anchor = touch if follow_up is None else max(touch, follow_up)
    owner: str | None = rng.choice(world.staff_ids)
    version = rng.randint(1, 4)
    reason = None
    if kind == "archived":
        status, updated = "ARCHIVED", min(NOW_US, touch + rng.randrange(0, 5 * DAY_US))
        reason = rng.choice(ARCHIVE_REASONS)
    else:
        # Written at the last touch; if that was before the last sweep and the sweep
        # moved it, written again by the sweep (version + 1, no owner once available).
        touched = status_when_touched(follow_up, touch)
        status = touched if touch >= last_sweep[0] else status_at(follow_up, anchor, last_sweep)
        updated = touch
        if status != touched:
            updated, version = last_sweep[0], version + 1
        if status == "AVAILABLE":
            owner = None
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    company = rng.choice(COMPANIES)
    if company:
        name = f"{name} ({company})"
    return {
        "id": lead_id(rng, i),
        "org_id": world.org_id,
        "name": name,
        "name_key": keyed(name),
        "contact": f"+44 7700 {i % 1_000_000:06d}",
        "owner": owner,
        "follow_up_at": follow_up,
        "last_touch_at": touch,
        "last_touch_by": rng.choice(world.staff_ids),
        "last_touch_kind": "schedule" if follow_up is not None else rng.choice(STAFF_TOUCHES),
        "anchor_at": anchor,
        "archived_reason": reason,
        "archive_note": "Asked not to be called again." if reason == "do_not_contact" else "",
        "status": status,
        "created_by": rng.choice(world.staff_ids),
        "created_at": touch - rng.randrange(0, 30 * DAY_US),
        "updated_at": updated,
        "version": version,
    }


def seed_world(app: cl.ContactLogApp) -> World:
    org = app.organisations.create("Northfield Sales", timezone=TIMEZONE)
    return World(org.id, tuple(add_staff(app, org.id)))


# --- checking the load ---------------------------------------------------------------------

FULL_CHECKS = {
    "name_key": "SELECT count(*) FROM leads WHERE name_key != contactlog_name_key(name)",
    "owner_iff_available": """
        SELECT count(*) FROM leads
         WHERE archived_reason IS NULL AND (status = 'AVAILABLE') != (owner IS NULL)""",
}


def load_checks(path: Path, world: World, sample: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows that break a rule (want 0), and sampled leads as the library reads them back."""
    conn = connect(path)
    register(conn)
    try:
        full = {name: conn.execute(sql).fetchone()[0] for name, sql in FULL_CHECKS.items()}
    finally:
        conn.close()
    store = SqliteStore(path)
    mismatches = []
    try:
        with store.unit_of_work(read_only=True) as uow:
            org = uow.organisations.get(OrgId(world.org_id))
            for row in sample:
                lead = uow.leads.get(org.id, LeadId(row["id"]))
                written = age(lead, from_micros(row["updated_at"]), org.timezone, org.aging)
                if lead_params(lead) != row or written != lead.status:
                    mismatches.append({"id": row["id"], "inserted": row, "age": str(written)})
    finally:
        store.close()
    return {"full": full, "sample": len(sample), "sample_mismatches": mismatches[:3]}


def build(path: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """The library's schema, organisation and staff, then the bulk load and its checks."""
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(SETUP))
    try:
        world = seed_world(app)
    finally:
        app.close()
    last = NOW.subtract(seconds=round(args.stale_days * 86_400))
    last_sweep = cutoff_micros(aging_cutoffs(last, TIMEZONE, cl.AgingPolicy()))
    print(f"loading {n:,} leads into {path.name} ...", flush=True)

    def make(rng: random.Random, i: int) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
        lead = make_lead(rng, world, i, last_sweep)
        return lead, {"leads": [lead]}

    load = bulk_load(path, n, make, {"leads": LEAD_COLUMNS}, sample=SAMPLE, analyze=args.analyze)
    leads = load.rows["leads"]
    analyzed = f"ANALYZE ran ({load.analyze_seconds:.1f} s)" if args.analyze else "no ANALYZE"
    size_mib = path.stat().st_size / 2**20
    print(
        f"loaded {leads:,} leads in {load.seconds:.1f} s ({leads / load.seconds:,.0f}"
        f" leads/s, transactions of {LOAD_BATCH:,}); {analyzed}; file {size_mib:,.0f} MiB",
        flush=True,
    )
    checks = load_checks(path, world, load.sample)
    return {
        "leads": leads,
        "load_seconds": load.seconds,
        "analyze_seconds": load.analyze_seconds,
        "file_mib": size_mib,
        "last_sweep": last.isoformat(),
        "stored_status": status_counts(path),
        "checks": checks,
    }


def status_counts(path: Path) -> dict[str, int]:
    conn = connect(path)
    try:
        rows = conn.execute("SELECT status, count(*) FROM leads GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        conn.close()
    return dict(rows)


def load_ok(data: dict[str, Any]) -> bool:
    checks = data["checks"]
    return not any(checks["full"].values()) and not checks["sample_mismatches"]


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a checkpointed, closed file (no ``-wal`` left to copy)."""
    wal = source.with_name(source.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{wal} is not checkpointed"
    shutil.copyfile(source, target)
    return target


# --- the hand-written baseline -------------------------------------------------------------


def iso(column: str) -> str:
    """Microseconds as the ISO 8601 text of our snapshots (NULL stays NULL), in plain SQL."""
    return (
        f"strftime('%Y-%m-%dT%H:%M:%S', {column} / 1000000, 'unixepoch')"
        f" || CASE WHEN {column} % 1000000 = 0 THEN '' ELSE printf('.%06d', {column} % 1000000) END"
        " || '+00:00'"
    )


STATUS_NOW = """CASE
    WHEN follow_up_at > :now THEN 'SCHEDULED'
    WHEN anchor_at <= :available THEN 'AVAILABLE'
    WHEN anchor_at <= :abandoned THEN 'ABANDONED'
    WHEN anchor_at <= :past_due THEN 'PAST_DUE'
    WHEN follow_up_at IS NOT NULL THEN 'MISSED'
    ELSE 'NOT_SCHEDULED' END"""
OWNER_NOW = """CASE WHEN (follow_up_at IS NULL OR follow_up_at <= :now)
                    AND anchor_at <= :available THEN NULL ELSE owner END"""
MOVES = f"""org_id = :org_id AND archived_reason IS NULL
   AND (status != ({STATUS_NOW}) OR owner IS NOT ({OWNER_NOW}))"""


AFTER = f"""json_object(
    'id', id, 'org_id', org_id, 'name', name, 'contact', contact, 'owner', ({OWNER_NOW}),
    'follow_up_at', {iso("follow_up_at")}, 'last_touch_at', {iso("last_touch_at")},
    'last_touch_by', last_touch_by, 'last_touch_kind', last_touch_kind,
    'archived_reason', archived_reason, 'archive_note', archive_note, 'status', ({STATUS_NOW}),
    'created_by', created_by, 'created_at', {iso("created_at")},
    'updated_at', :now_iso, 'version', version + 1)"""
# The store keeps an event's before as the fields that differ from after, in the lead's
# field order (the owner if cleared, the status if changed, the time, the version).
BEFORE_CHANGES = f"""'{{'
    || CASE WHEN owner IS NOT ({OWNER_NOW}) THEN '"owner":' || json_quote(owner) || ',' ELSE '' END
    || CASE WHEN status != ({STATUS_NOW}) THEN '"status":' || json_quote(status) || ',' ELSE '' END
    || CASE WHEN updated_at != :now THEN '"updated_at":' || json_quote({iso("updated_at")}) || ','
       ELSE '' END
    || '"version":' || version || '}}'"""


BASE_AUDIT = f"""
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before_changes,
                          after)
SELECT lower(hex(randomblob(16))), org_id, 'lead', id, 'age', NULL, :now, {BEFORE_CHANGES},
       {AFTER}
  FROM leads WHERE {MOVES}
"""
BASE_AGE = f"""
UPDATE leads SET status = ({STATUS_NOW}), owner = ({OWNER_NOW}),
                 version = version + 1, updated_at = :now
 WHERE {MOVES}
"""
SELECT_ORG = "SELECT * FROM organisations"


def by_hand_params(org: cl.Organisation, cutoffs: AgingCutoffs) -> dict[str, Any]:
    now, past_due, abandoned, available = cutoff_micros(cutoffs)
    return {
        "org_id": org.id,
        "now": now,
        "now_iso": cutoffs.now.isoformat(),
        "past_due": past_due,
        "abandoned": abandoned,
        "available": available,
    }


# --- the contenders (each runs in its own process) ----------------------------------------

Work = Callable[[], dict[str, Any]]


@contextmanager
def ours(path: Path, batch_size: int) -> Iterator[Work]:
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(NOW))
    store = app.store
    assert isinstance(store, SqliteStore)
    conn = store._connection()  # private, but this is a benchmark
    batches = 0
    sweeping: dict[str, Any] = {}

    def progress(batch: AgingBatch) -> None:
        nonlocal batches
        batches += 1
        if batches == 1 and batch.next is not None:  # what the sweep set for itself
            sweeping.update(read_pragmas(conn, PRAGMAS))

    def work() -> dict[str, Any]:
        report = app.leads.sweep(batch_size=batch_size, progress=progress)
        moves = {f"{a}->{b}": n for (a, b), n in sorted(report.transitions.items())}
        return {"changed": report.changed, "batches": batches, "transitions": moves}

    try:
        pragmas = read_pragmas(conn, PRAGMAS)
        yield lambda: {**work(), "pragmas": pragmas, "pragmas_sweeping": sweeping}
    finally:
        app.close()


@contextmanager
def by_hand(path: Path, batch_size: int) -> Iterator[Work]:
    """One transaction: the audit rows from one SELECT, then one UPDATE (``batch_size`` unused)."""
    conn = connect(path)
    org = organisation_from_row(conn.execute(SELECT_ORG).fetchone())

    def work() -> dict[str, Any]:
        params = by_hand_params(org, aging_cutoffs(NOW, org.timezone, org.aging))
        with immediate(conn):
            audited = conn.execute(BASE_AUDIT, params).rowcount
            changed = conn.execute(BASE_AGE, params).rowcount
        return {"changed": changed, "audited": audited, "batches": 1}

    try:
        pragmas = read_pragmas(conn, PRAGMAS)
        yield lambda: {**work(), "pragmas": pragmas}
    finally:
        conn.close()


@contextmanager
def loop(path: Path, batch_size: int) -> Iterator[Work]:
    """Load, ``age_change``, save and audit, lead by lead, ``batch_size`` per unit of work.

    ``batch_size`` 1 is the loop a host writes by default: a transaction per lead.
    """
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(NOW))
    ctx = Context(store=app.store, clock=app.clock, policy=app.policy)  # what services audit with
    ids_conn = connect(path)

    def work() -> dict[str, Any]:
        now = app.clock.now()
        with app.store.unit_of_work(read_only=True) as uow:
            (org,) = uow.organisations.list()
        ids = [r[0] for r in ids_conn.execute("SELECT id FROM leads ORDER BY rowid")]
        changed = batches = 0
        for start in range(0, len(ids), batch_size):
            with app.store.unit_of_work() as uow:
                for lead_id in ids[start : start + batch_size]:
                    lead = uow.leads.get(org.id, LeadId(lead_id))
                    change = age_change(lead, now, org.timezone, org.aging)
                    if change is None:
                        continue
                    uow.leads.update(change.after, expected_version=lead.version)
                    ctx.audit(uow, org.id, "lead", change)
                    changed += 1
            batches += 1
        return {"changed": changed, "batches": batches}

    try:
        yield work
    finally:
        ids_conn.close()
        app.close()


def loop_per_lead(path: Path, batch_size: int) -> AbstractContextManager[Work]:
    """The loop with a unit of work per lead (``batch_size`` unused)."""
    return loop(path, 1)


CONTENDERS = {"ours": ours, "by_hand": by_hand, "loop": loop, "loop_per_lead": loop_per_lead}


def child(name: str, path: Path, batch_size: int, traced: bool) -> dict[str, Any]:
    """Run one contender once, timed: the body of the child process."""
    with CONTENDERS[name](path, batch_size) as work:
        gc.collect()
        rss_before = rss_mib("VmHWM")
        io_before = io_mib()
        with measured(traced) as run:
            result = work()
        io_after = io_mib()
        if run.tracemalloc_peak_mib is not None:
            result["tracemalloc_peak_mib"] = run.tracemalloc_peak_mib
        result.update(seconds=run.seconds, rss_before_mib=rss_before, rss_peak_mib=rss_mib("VmHWM"))
        result.update(
            user_s=run.user_s,
            system_s=run.system_s,
            **{k: v - io_before[k] for k, v in io_after.items()},
        )
    with closing(sqlite3.connect(path)) as conn:
        result["leads"] = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    return result


def run_contender(name: str, path: Path, batch_size: int, traced: bool = False) -> dict[str, Any]:
    """``child`` in a fresh interpreter: its own imports, memory and SQLite page cache."""
    os.sync()  # the copies' and the last run's writes on disk first, not during this run
    load = os.getloadavg()
    print(
        f"running {name} on {path.name}{' (tracemalloc)' if traced else ''}, load average"
        f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ...",
        flush=True,
    )
    flags = ["--db", str(path), "--batch-size", str(batch_size)]
    result = run_child(__file__, name, *flags, *(["--tracemalloc"] if traced else []))
    result["leads_per_s"] = result["leads"] / result["seconds"]
    result["loadavg"] = load
    print(
        f"  {result['changed']:,} of {result['leads']:,} leads changed in"
        f" {result['seconds']:.2f} s, peak RSS {result['rss_peak_mib']:.0f} MiB",
        flush=True,
    )
    return result


by_seconds = operator.itemgetter("seconds")


# --- checking the results ------------------------------------------------------------------

LEAD_STATE = "SELECT id, status, owner, version, updated_at FROM {db}.leads"
AGE_EVENTS = """
SELECT entity_id, command, actor, at, before, before_changes, after, detail
  FROM {db}.audit_events
 WHERE entity = 'lead'"""
AGE_EVENT_COUNT = "SELECT count(*) FROM {db}.audit_events WHERE entity = 'lead'"


def differences(path: Path, other: Path) -> dict[str, int]:
    """Leads and ``age`` events in one file and not the other, each way (want all 0)."""
    out = {}
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("ATTACH DATABASE ? AS other", (str(other),))
        for name, sql in (("leads", LEAD_STATE), ("age_events", AGE_EVENTS)):
            for a, b, side in (("main", "other", "first"), ("other", "main", "second")):
                query = f"SELECT count(*) FROM ({sql.format(db=a)} EXCEPT {sql.format(db=b)})"
                out[f"{name} only in {side}"] = conn.execute(query).fetchone()[0]
        events = [
            conn.execute(AGE_EVENT_COUNT.format(db=db)).fetchone()[0] for db in ("main", "other")
        ]
    out["age_events first - second"] = events[0] - events[1]
    return out


def sample_after(path: Path, n: int) -> dict[str, Any]:
    """``n`` random leads read back after the sweep: stored status is ``age`` at ``NOW``."""
    store = SqliteStore(path)
    rng = random.Random(SEED + 2)
    bad, seen = [], {}
    try:
        with store.unit_of_work(read_only=True) as uow:
            (org,) = uow.organisations.list()
            db = store._connection()  # private, but this is a benchmark
            total = db.execute("SELECT max(rowid) FROM leads").fetchone()[0]
            for rowid in rng.sample(range(1, total + 1), min(n, total)):
                lead_id = db.execute("SELECT id FROM leads WHERE rowid = ?", (rowid,)).fetchone()
                lead = uow.leads.get(org.id, LeadId(lead_id[0]))
                want = age(lead, NOW, org.timezone, org.aging)
                seen[str(want)] = seen.get(str(want), 0) + 1
                if lead.status != want or (want == cl.LeadStatus.AVAILABLE and lead.owner):
                    bad.append({"id": lead.id, "stored": str(lead.status), "age": str(want)})
    finally:
        store.close()
    return {"checked": sum(seen.values()), "by_status": seen, "mismatches": bad[:3]}


def sweep_again(path: Path, batch_size: int) -> int:
    """What a second sweep at the same instant changes (want 0)."""
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(NOW))
    try:
        return app.leads.sweep(batch_size=batch_size).changed
    finally:
        app.close()


# --- query plans ---------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def query_plans(path: Path, batch_size: int) -> dict[str, list[str]]:
    """The plans of the statements ours runs for its first batch, and of the baseline's two.

    Ours' statements are captured from the store's connection while
    ``uow.leads.age_batch`` runs, then explained in the same transaction
    (its temporary tables exist there), which is then rolled back.
    """
    store = SqliteStore(path)
    conn = store._connection()  # private, but this is a benchmark
    plans: dict[str, list[str]] = {}
    try:
        with store.unit_of_work(read_only=True) as uow:
            (org,) = uow.organisations.list()
        cutoffs = aging_cutoffs(NOW, org.timezone, org.aging)
        try:
            with store.unit_of_work() as uow:
                with traced(conn) as seen:
                    uow.leads.age_batch(
                        AgingRequest(org.id, cutoffs, after=None, size=batch_size, new_id=cl_new_id)
                    )
                for n, sql in enumerate(seen, 1):
                    text = " ".join(sql.split())
                    lines = plan(conn, text)
                    if lines:
                        plans[f"ours {n}: {text[:110]}"] = lines
                params = {**by_hand_params(org, cutoffs)}
                for name, sql in (("by hand: audit", BASE_AUDIT), ("by hand: update", BASE_AGE)):
                    plans[f"{name}: {' '.join(sql.split())[:110]}"] = plan(conn, sql, params)
                raise _RollBack
        except _RollBack:
            pass
    finally:
        store.close()
    return plans


def print_plans(plans: dict[str, list[str]]) -> None:
    for name, lines in plans.items():
        print(f"-- {name} ...")
        for line in lines:
            print(f"   {line}")


# --- the run, step by step ----------------------------------------------------------------


def load_files(where: Path, args: argparse.Namespace) -> tuple[dict[str, Any], Path, Path]:
    """The leads' file and the loops' (the same one unless ``--loop-leads`` is smaller), checked."""
    source = where / "leads.db"
    data = {"main": build(source, args.leads, args)}
    loop_source = source
    if loop_size(args) < args.leads:
        loop_source = where / "loop-leads.db"
        data["loop"] = build(loop_source, loop_size(args), args)
    for name, facts in data.items():
        checks = facts["checks"]
        print(
            f"check ({name}), every row: {common.listed(checks['full'])};"
            f" {checks['sample']} leads read back against what was inserted and"
            f" age(lead, updated_at): {len(checks['sample_mismatches'])} differ"
            + (" -> ok" if load_ok(facts) else " -> MISMATCH")
        )
    print(f"stored status: {common.listed(data['main']['stored_status'], ',')}")
    return data, source, loop_source


@attrs.frozen
class Runs:
    """Every contender's runs, and the files they left to check."""

    rounds: dict[str, list[dict[str, Any]]]  # ours and by hand, round by round
    base: dict[str, Any]  # by hand's median run
    mine: dict[str, Any]  # ours' median run
    mine_small: dict[str, Any]  # ours on the loops' file (``mine`` when that is the same file)
    per_lead: dict[str, Any]
    batched: dict[str, Any]
    traced: dict[str, Any] | None
    files: dict[str, Path]

    @property
    def shared(self) -> bool:
        """The loops swept the same leads as ours."""
        return self.mine_small is self.mine


def run_rounds(
    where: Path, source: Path, args: argparse.Namespace
) -> dict[str, list[dict[str, Any]]]:
    """By hand then ours, each on a fresh copy of ``source``, ``--rounds`` times."""
    rounds: dict[str, list[dict[str, Any]]] = {"by_hand": [], "ours": []}
    for n in range(args.rounds):
        # Baseline first in each round: ours gets the warmer machine, not the cooler one.
        for name in rounds:
            path = where / (f"{name}.db" if n == 0 else f"{name}-{n}.db")
            rounds[name].append(run_contender(name, copy_db(source, path), args.batch_size))
            if n:
                path.unlink()  # the first round's files are the ones checked
    return rounds


def run_all(where: Path, source: Path, loop_source: Path, args: argparse.Namespace) -> Runs:
    """Ours and by hand ``--rounds`` times, alternately; then the traced run and the loops."""
    size = args.batch_size
    shared = loop_source == source  # the loops sweep the same leads as ours
    copies = [("loop_per_lead", loop_source), ("loop", loop_source)]
    copies += [] if shared else [("ours_loop_size", loop_source)]
    copies += [("ours_traced", source)] if args.tracemalloc_run else []
    files = {name: copy_db(src, where / f"{name}.db") for name, src in copies}
    rounds = run_rounds(where, source, args)
    files.update({name: where / f"{name}.db" for name in rounds})
    base, mine = median_run(rounds["by_hand"], by_seconds), median_run(rounds["ours"], by_seconds)
    files.setdefault("ours_loop_size", files["ours"])
    traced = None
    if args.tracemalloc_run:
        traced = run_contender("ours", files["ours_traced"], size, traced=True)
    per_lead = run_contender("loop_per_lead", files["loop_per_lead"], size)
    mine_small = mine if shared else run_contender("ours", files["ours_loop_size"], size)
    batched = run_contender("loop", files["loop"], size)
    return Runs(rounds, base, mine, mine_small, per_lead, batched, traced, files)


def check_all(files: dict[str, Path], args: argparse.Namespace) -> dict[str, Any]:
    """The contenders' files agree, ours' leads are aged right, a second sweep changes nothing."""
    print("checking ...", flush=True)
    loop_n = loop_size(args)
    return {
        "differ": {
            f"ours vs by hand ({args.leads:,} leads)": differences(files["ours"], files["by_hand"]),
            f"ours vs loop, a unit of work per lead ({loop_n:,} leads)": differences(
                files["ours_loop_size"], files["loop_per_lead"]
            ),
            f"ours vs loop, batched ({loop_n:,} leads)": differences(
                files["ours_loop_size"], files["loop"]
            ),
        },
        "sample": sample_after(files["ours"], SAMPLE),
        "second_sweep_changed": sweep_again(files["ours_loop_size"], args.batch_size),
    }


def results_of(runs: Runs, size: int) -> dict[str, dict[str, Any]]:
    """The table's rows: each contender's run (the median one for ours and by hand)."""
    results = {
        "contactlog_core sweep": runs.mine,
        "sqlite3 by hand": runs.base,
        "loop, unit of work per lead": runs.per_lead,
        f"loop, {size:,} per unit of work": runs.batched,
    }
    if not runs.shared:
        results["contactlog_core, on the loops' file"] = runs.mine_small
    return results


def ratios_of(runs: Runs) -> dict[str, float]:
    """Ours over by hand in seconds; ours over each loop in leads/s, at both sizes."""
    per_lead, batched = runs.per_lead["leads_per_s"], runs.batched["leads_per_s"]
    return {
        "ours_over_sql_seconds": runs.mine["seconds"] / runs.base["seconds"],
        "ours_over_loop_per_s": runs.mine["leads_per_s"] / per_lead,
        "ours_over_loop_per_s_same_size": runs.mine_small["leads_per_s"] / per_lead,
        "ours_over_batched_loop_per_s": runs.mine["leads_per_s"] / batched,
        "ours_over_batched_loop_per_s_same_size": runs.mine_small["leads_per_s"] / batched,
    }


def meets_targets(runs: Runs, ratios: dict[str, float]) -> dict[str, bool]:
    return {
        "sql": ratios["ours_over_sql_seconds"] <= TARGET_SQL,
        "loop": ratios["ours_over_loop_per_s_same_size"] >= TARGET_LOOP,
        "loop_batched": ratios["ours_over_batched_loop_per_s_same_size"] >= TARGET_LOOP,
        "memory": runs.mine["rss_peak_mib"] < TARGET_RSS_MIB,
    }


# --- reporting -----------------------------------------------------------------------------


def print_sweep(
    args: argparse.Namespace,
    results: dict[str, dict[str, Any]],
    final_status: dict[str, int],
    plans: dict[str, list[str]],
) -> None:
    """What was swept, with which settings, what moved, and the statements' plans."""
    print(
        f"\nsweep at {NOW.isoformat()} ({TIMEZONE}, default AgingPolicy), statuses written"
        f" {args.stale_days:g} days before; batch size {args.batch_size:,};"
        f" ANALYZE {'ran' if args.analyze else 'not run'}"
    )
    for name, key in (
        ("contactlog_core sweep", "pragmas"),
        ("contactlog_core sweep, while sweeping", "pragmas_sweeping"),
        ("sqlite3 by hand", "pragmas"),
    ):
        pragmas = results[name.split(",")[0]].get(key) or {}
        print(f"pragmas ({name}): {common.listed(pragmas, sep='=') or '(one batch: not read)'}")
    mine = results["contactlog_core sweep"]
    print(f"ours moved: {common.listed(mine['transitions'], ',')} in {mine['batches']:,} batches")
    print(f"status after: {common.listed(final_status, ',')}")
    print("\n=== EXPLAIN QUERY PLAN (before the sweep, first batch's parameters) ===")
    print_plans(plans)
    print()


def table(
    results: dict[str, dict[str, Any]],
    base: dict[str, Any],
    loop_: dict[str, Any],
    batched: dict[str, Any],
) -> str:
    head = (
        f"{'contender':<34}{'leads':>10}{'changed':>9}{'seconds':>9}{'leads/s':>9}"
        f"{'vs SQL':>8}{'vs loop':>9}{'vs batched':>11}{'load':>6}{'peak RSS':>10}"
        f"{'user s':>8}{'sys s':>7}{'read MiB':>10}{'written MiB':>12}"
    )
    lines = [head, "-" * len(head)]
    for name, r in results.items():
        vs_sql = r["seconds"] / base["seconds"]
        vs_loop = r["leads_per_s"] / loop_["leads_per_s"]
        vs_batched = r["leads_per_s"] / batched["leads_per_s"]
        io = f"{r['read_mib']:>10,.0f}{r['written_mib']:>12,.0f}" if "read_mib" in r else ""
        lines.append(
            f"{name:<34}{r['leads']:>10,}{r['changed']:>9,}{r['seconds']:>9.2f}"
            f"{r['leads_per_s']:>9,.0f}{vs_sql:>7.2f}x{vs_loop:>8.1f}x{vs_batched:>10.1f}x"
            f"{r['loadavg'][0]:>6.2f}{r['rss_peak_mib']:>6.0f} MiB{r['user_s']:>8.1f}"
            f"{r['system_s']:>7.1f}{io}"
        )
    return "\n".join(lines)


def print_table(runs: Runs, results: dict[str, dict[str, Any]]) -> None:
    if len(runs.rounds["ours"]) > 1:
        for name, label in (("by_hand", "sqlite3 by hand"), ("ours", "contactlog_core sweep")):
            seconds = ", ".join(f"{r['seconds']:.2f}" for r in runs.rounds[name])
            print(f"{label}, seconds by round: {seconds} (the table shows the median run)")
    print(table(results, runs.base, runs.per_lead, runs.batched))
    print(
        "vs SQL = seconds / hand-written's seconds (> 1 = slower); vs loop = leads/s / the"
        " per-lead loop's leads/s, vs batched = / the batched loop's (> 1 = faster); load ="
        " 1-minute load average before the run; peak RSS = VmHWM of the contender's own"
        " process; user/sys = its CPU seconds; read/written = bytes through read/write calls"
    )


def also_at_full_size(runs: Runs, args: argparse.Namespace, ratio: float) -> str:
    """When the loops had a smaller file, ours' median on the full one against them, for scale."""
    return "" if runs.shared else f"; ours' median at {args.leads:,} leads: {ratio:.1f}x"


def print_targets(args: argparse.Namespace, runs: Runs, ratios: dict[str, float]) -> None:
    """Each target, read as the docstring says, with its verdict."""
    met = meets_targets(runs, ratios)
    loop_n, per_lead = loop_size(args), runs.per_lead["leads_per_s"]
    print(
        f"ours / hand-written SQL: {ratios['ours_over_sql_seconds']:.2f}x the time at"
        f" {args.leads:,} leads  {common.verdict(met['sql'])} (target <= {TARGET_SQL})"
    )
    n = len(runs.rounds["ours"])
    ours_said = f"ours' median of {n}" if runs.shared else "ours on the loops' file"
    print(
        f"ours / loop with a unit of work per lead, both on {loop_n:,} leads:"
        f" {ratios['ours_over_loop_per_s_same_size']:.1f}x the throughput ({ours_said}"
        f" {runs.mine_small['leads_per_s']:,.0f} leads/s, the loop {per_lead:,.0f})"
        f"  {common.verdict(met['loop'])} (target >= {TARGET_LOOP:.0f})"
        + also_at_full_size(runs, args, ratios["ours_over_loop_per_s"])
    )
    if runs.shared and n > 1:
        each = ", ".join(f"{r['leads_per_s'] / per_lead:.1f}x" for r in runs.rounds["ours"])
        print(f"  each run of ours against it, in order: {each}")
    print(
        f"ours / loop batched by hand ({args.batch_size:,} leads per unit of work), both on"
        f" {loop_n:,} leads: {ratios['ours_over_batched_loop_per_s_same_size']:.1f}x the"
        f" throughput (the loop at {runs.batched['leads_per_s']:,.0f} leads/s)"
        f"  {common.verdict(met['loop_batched'])} (the same target read against it)"
        + also_at_full_size(runs, args, ratios["ours_over_batched_loop_per_s"])
    )
    traced_peak = ""
    if runs.traced is not None:
        traced_peak = f", tracemalloc peak {runs.traced['tracemalloc_peak_mib']:.1f} MiB"
    print(
        f"ours, memory: peak RSS {runs.mine['rss_peak_mib']:.0f} MiB (before the sweep"
        f" {runs.mine['rss_before_mib']:.0f} MiB){traced_peak}  {common.verdict(met['memory'])}"
        f" (target < {TARGET_RSS_MIB:.0f} MiB at 1M)"
    )


def print_checks(checks: dict[str, Any]) -> bool:
    """Print every check; True when all hold."""
    ok = True
    for name, found in checks["differ"].items():
        good = not any(found.values())
        ok &= good
        print(f"check, {name}: {common.listed(found)}" + (" -> ok" if good else " -> DIFFER"))
    sample = checks["sample"]
    good = not sample["mismatches"]
    ok &= good
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(sample["by_status"].items()))
    print(
        f"check, {sample['checked']} leads of ours read back, stored status == age(lead, NOW):"
        f" {len(sample['mismatches'])} differ ({by_status})"
        + (" -> ok" if good else " -> MISMATCH")
    )
    for m in sample["mismatches"]:
        print(f"   {m}")
    again = checks["second_sweep_changed"]
    ok &= again == 0
    print(f"check, a second sweep at NOW changes {again} leads" + (" -> ok" if again == 0 else ""))
    return ok


# --- main ----------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument("--leads", type=int, default=1_000_000, help="leads in the organisation")
    parser.add_argument(
        "--loop-leads",
        type=int,
        default=None,
        help="leads for the load-age-save loops (default: as --leads)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, help="leads per transaction (sweep, loop)"
    )
    parser.add_argument(
        "--stale-days", type=float, default=2.0, help="days since the sweep that wrote the statuses"
    )
    common.add_dir(parser)
    common.add_out(parser, "leads")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of ours and the hand-written SQL, alternately"
    )
    common.add_quick(parser)
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE after the load")
    parser.add_argument(
        "--no-tracemalloc",
        dest="tracemalloc_run",
        action="store_false",
        help="skip the second, traced run of ours",
    )
    # One contender in this process (how the parent runs each one): not for people.
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.loop_leads is None:
        args.loop_leads = args.leads
    if args.quick:
        args.leads, args.loop_leads = 5_000, 1_000
    if min(args.leads, args.loop_leads) < 1 or not 1 <= args.batch_size <= MAX_BATCH:
        parser.error(f"--leads and --loop-leads must be >= 1, --batch-size 1 to {MAX_BATCH}")
    if args.stale_days < 0:
        parser.error("--stale-days must be >= 0")
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")
    return args


def loop_size(args: argparse.Namespace) -> int:
    """How many leads the loops sweep: never more than ours (their file is a prefix of ours)."""
    return min(args.loop_leads, args.leads)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.db, args.batch_size, args.tracemalloc)))
        return 0
    facts = common.machine()
    print(common.machine_line(facts, common.files_in(args.dir)))
    with common.workdir(args.dir, "bench-leads-") as where:
        data, source, loop_source = load_files(where, args)
        plans = query_plans(source, args.batch_size)
        runs = run_all(where, source, loop_source, args)
        checks = check_all(runs.files, args)
        final_status = status_counts(runs.files["ours"])
    results = results_of(runs, args.batch_size)
    ratios = ratios_of(runs)
    print_sweep(args, results, final_status, plans)
    print_table(runs, results)
    print_targets(args, runs, ratios)
    checks_ok = print_checks(checks) and all(load_ok(d) for d in data.values())
    print()
    common.write_report(
        args.out,
        {
            "machine": facts,
            "flags": common.flags_of(args),
            "now": NOW.isoformat(),
            "data": data,
            "targets": {
                "ours_over_sql_seconds": TARGET_SQL,
                "ours_over_loop_per_s": TARGET_LOOP,
                "peak_rss_mib": TARGET_RSS_MIB,
            },
            "results": results,
            "rounds": runs.rounds,
            "traced": runs.traced,
            "ratios": ratios,
            "meets_targets": meets_targets(runs, ratios),
            "status_after": final_status,
            "plans": plans,
            "checks": checks,
            "checks_ok": checks_ok,
        },
    )
    if not checks_ok:
        print("CHECKS FAILED: the contenders do not agree, or the data is not what it should be")
    return 0 if checks_ok else 1


if __name__ == "__main__":
    sys.exit(main())
