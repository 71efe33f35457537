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
   the lead, asks ``lead_commands.age_change``, and saves a change with
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
import functools
import gc
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any

import attrs
import pendulum
from _common import connect, finish_load, machine, micros_of, read_pragmas, workdir

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.functions import register
from contactlog_core.adapters.sqlite.leads import lead_params
from contactlog_core.adapters.sqlite.organisations import organisation_from_row
from contactlog_core.application.context import Context
from contactlog_core.application.leads import DEFAULT_BATCH, MAX_BATCH
from contactlog_core.domain.leads.aging import AgingCutoffs, age, aging_cutoffs
from contactlog_core.domain.leads.commands import age_change
from contactlog_core.domain.leads.model import LeadId
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.domain.shared.text import name_key
from contactlog_core.instants import from_micros
from contactlog_core.ports import AgingBatch

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "leads.json"
TARGET_SQL = 1.5  # ours / hand-written, in seconds: at most
TARGET_LOOP = 20.0  # ours / loop, in leads per second: at least
TARGET_RSS_MIB = 200.0  # our sweep's peak RSS at 1M leads: under
TIMEZONE = "Europe/London"
NOW = pendulum.datetime(2026, 11, 2, 2, tz="UTC")  # the sweep instant
SETUP = NOW.subtract(days=120)  # when the organisation and staff were made
LOAD_BATCH = 100_000
LOAD_CACHE_KIB = 262_144  # the loader connection's cache_size (only while loading)
SAMPLE = 1_000
SEED = 20261102
PRAGMAS = (
    "journal_mode", "synchronous", "foreign_keys", "cache_size", "wal_autocheckpoint", "page_size",
)  # fmt: skip

NOW_US = micros_of(NOW)
ID_CLOCK_US = micros_of(SETUP)  # the clock reading in the first lead's id
HOUR_US = 3_600 * 10**6
DAY_US = 24 * HOUR_US
TOUCH_SPAN_US = 20 * DAY_US  # the last touches of unscheduled leads: the past 20 days
MISSED_SPAN_US = 12 * DAY_US  # passed follow-ups: the past 12 days
ARCHIVED_SPAN_US = 90 * DAY_US

STAFF_NAMES = (
    "Alice Smith", "Élodie Dubois", "José Álvarez", "Zoë Brontë", "Søren Kierkegaard",
    "Anne-Marie O'Neil", "Ngozi Okonkwo", "François Lefèvre", "Jürgen Müller", "Chloé Martin",
    "Łukasz Nowak", "Siobhán Ní Bhriain", "Mohammed Al-Farsi", "Priya Patel", "Wei Zhang",
    "Björn Andersson", "Inés García", "Marta Kowalska", "Oliver Brown", "Amelia Jones",
    "Noah Williams", "Isla Taylor", "Harry Davies", "Ava Evans", "Jack Thomas",
    "Mia Roberts", "George Johnson", "Emily Walker", "Leo Wright", "Grace Robinson",
    "Aoife Ó Súilleabháin", "Renée Château", "Dvořák Antonín", "Çağla Şahin", "Niamh Kelly",
    "Ahmed Hassan", "Fatima Begum", "Ravi Sharma", "Sophie Green", "Ella Hall",
    "Thomas Wood", "Ruby Clarke", "Oscar Hughes", "Lily Edwards", "Charlie Turner",
    "Freya Hill", "Alfie Moore", "Poppy Cooper", "Hélène Côté", "Ümit Öztürk",
)  # fmt: skip
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
INSERT_LEAD = (
    f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) VALUES ({', '.join('?' * len(LEAD_COLUMNS))})"
)


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


@functools.cache
def key_of(name: str) -> str:
    return name_key(name)


def pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    x, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if x < total:
            return value
    return weighted[-1][0]


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
        "name_key": key_of(name),
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
    ids = []
    for i, name in enumerate(STAFF_NAMES):
        role = "school_admin" if i % 10 == 0 else "office_admin"
        ids.append(app.staff.add(org.id, name=name, role=role).id)
    return World(org.id, tuple(ids))


@attrs.define
class LoadReport:
    leads: int = 0
    seconds: float = 0.0
    analyze_seconds: float | None = None
    sample: list[dict[str, Any]] = attrs.Factory(list)


def bulk_load(path: Path, world: World, n: int, last_sweep: Cutoffs, analyze: bool) -> LoadReport:
    """Insert ``n`` leads in transactions of ``LOAD_BATCH``; keep ``SAMPLE`` of them to check."""
    rng = random.Random(SEED)
    keep = set(random.Random(SEED + 1).sample(range(n), min(SAMPLE, n)))
    report = LoadReport()
    conn = connect(path)
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    t0 = time.perf_counter()
    for start in range(0, n, LOAD_BATCH):
        rows = []
        for i in range(start, min(n, start + LOAD_BATCH)):
            lead = make_lead(rng, world, i, last_sweep)
            rows.append(tuple(lead[c] for c in LEAD_COLUMNS))
            if i in keep:
                report.sample.append(lead)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_LEAD, rows)
        conn.execute("COMMIT")
        report.leads += len(rows)
    report.seconds = time.perf_counter() - t0
    report.analyze_seconds = finish_load(conn, analyze=analyze)
    return report


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
    load = bulk_load(path, world, n, last_sweep, args.analyze)
    analyzed = f"ANALYZE ran ({load.analyze_seconds:.1f} s)" if args.analyze else "no ANALYZE"
    size_mib = path.stat().st_size / 2**20
    print(
        f"loaded {load.leads:,} leads in {load.seconds:.1f} s ({load.leads / load.seconds:,.0f}"
        f" leads/s, transactions of {LOAD_BATCH:,}); {analyzed}; file {size_mib:,.0f} MiB",
        flush=True,
    )
    checks = load_checks(path, world, load.sample)
    return {
        "leads": load.leads,
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            audited = conn.execute(BASE_AUDIT, params).rowcount
            changed = conn.execute(BASE_AGE, params).rowcount
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
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


def peak_rss_mib() -> float:
    """This process's resident-set high-water mark, in MiB.

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` there is
    inherited from the parent across fork and exec, so a child started by a
    big parent would report the parent's peak. Elsewhere ``ru_maxrss``
    (bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def io_mib() -> dict[str, float]:
    """Bytes this process passed to read and write calls so far (Linux), in MiB.

    SQLite reads and writes pages with such calls, so this counts page-cache
    misses, WAL frames and checkpoints, whether or not the disk was touched.
    """
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            fields = dict(line.split(":") for line in io)
    except OSError:
        return {}
    return {"read_mib": int(fields["rchar"]) / 2**20, "written_mib": int(fields["wchar"]) / 2**20}


def child(name: str, path: Path, batch_size: int, traced: bool) -> dict[str, Any]:
    """Run one contender once, timed: the body of the child process."""
    with CONTENDERS[name](path, batch_size) as work:
        gc.collect()
        rss_before = peak_rss_mib()
        if traced:
            tracemalloc.start()
        cpu, io = resource.getrusage(resource.RUSAGE_SELF), io_mib()
        t0 = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - t0
        cpu_after, io_after = resource.getrusage(resource.RUSAGE_SELF), io_mib()
        if traced:
            result["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        result.update(seconds=seconds, rss_before_mib=rss_before, rss_peak_mib=peak_rss_mib())
        result.update(
            user_s=cpu_after.ru_utime - cpu.ru_utime,
            system_s=cpu_after.ru_stime - cpu.ru_stime,
            **{k: v - io[k] for k, v in io_after.items()},
        )
    with closing(sqlite3.connect(path)) as conn:
        result["leads"] = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    return result


def run_child(name: str, path: Path, batch_size: int, traced: bool = False) -> dict[str, Any]:
    """``child`` in a fresh interpreter: its own imports, memory and SQLite page cache."""
    command = [sys.executable, __file__, "--child", name, "--db", str(path)]
    command += ["--batch-size", str(batch_size)] + (["--tracemalloc"] if traced else [])
    os.sync()  # the copies' and the last run's writes on disk first, not during this run
    load = os.getloadavg()
    print(
        f"running {name} on {path.name}{' (tracemalloc)' if traced else ''}, load average"
        f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ...",
        flush=True,
    )
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["leads_per_s"] = result["leads"] / result["seconds"]
    result["loadavg"] = load
    print(
        f"  {result['changed']:,} of {result['leads']:,} leads changed in"
        f" {result['seconds']:.2f} s, peak RSS {result['rss_peak_mib']:.0f} MiB",
        flush=True,
    )
    return result


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median seconds (the lower one of the middle two)."""
    return sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]


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


@contextmanager
def traced(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """The statements ``conn`` runs meanwhile (expanded: values inlined)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def plan(conn: sqlite3.Connection, sql: str, params: dict[str, Any] | None = None) -> list[str]:
    """``EXPLAIN QUERY PLAN`` as indented lines."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params or {}).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


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
                    uow.leads.age_batch(org.id, cutoffs, after=None, size=batch_size)
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


# --- reporting -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


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


def print_checks(checks: dict[str, Any]) -> bool:
    """Print every check; True when all hold."""
    ok = True
    for name, found in checks["differ"].items():
        good = not any(found.values())
        ok &= good
        print(
            f"check, {name}: "
            + ", ".join(f"{k} {v}" for k, v in found.items())
            + (" -> ok" if good else " -> DIFFER")
        )
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
    parser.add_argument("--dir", type=Path, default=None, help="where the database files go")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of ours and the hand-written SQL, alternately"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a CI smoke run")
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


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.db, args.batch_size, args.tracemalloc)))
        return 0
    facts = machine()
    print(
        f"Python {facts['python']}, SQLite {facts['sqlite']}, {facts['cpu_count']} CPUs, "
        f"files in {args.dir or 'a temp dir'}"
    )
    loop_n = min(args.loop_leads, args.leads)
    with workdir(args.dir, "bench-leads-") as where:
        source = where / "leads.db"
        data = {"main": build(source, args.leads, args)}
        loop_source = source
        if loop_n < args.leads:
            loop_source = where / "loop-leads.db"
            data["loop"] = build(loop_source, loop_n, args)
        for name, facts_ in data.items():
            print(
                f"check ({name}), every row: "
                + ", ".join(f"{k} {v}" for k, v in facts_["checks"]["full"].items())
                + f"; {facts_['checks']['sample']} leads read back against what was inserted"
                f" and age(lead, updated_at): {len(facts_['checks']['sample_mismatches'])} differ"
                + (" -> ok" if load_ok(facts_) else " -> MISMATCH")
            )
        print(
            "stored status: "
            + ", ".join(f"{k} {v:,}" for k, v in data["main"]["stored_status"].items())
        )
        plans = query_plans(source, args.batch_size)
        size = args.batch_size
        shared = loop_source == source  # the loops sweep the same leads as ours
        copies = [("loop_per_lead", loop_source), ("loop", loop_source)]
        copies += [] if shared else [("ours_loop_size", loop_source)]
        copies += [("ours_traced", source)] if args.tracemalloc_run else []
        files = {name: copy_db(src, where / f"{name}.db") for name, src in copies}
        runs: dict[str, list[dict[str, Any]]] = {"by_hand": [], "ours": []}
        for n in range(args.rounds):
            # Baseline first in each round: ours gets the warmer machine, not the cooler one.
            for name in runs:
                path = where / (f"{name}.db" if n == 0 else f"{name}-{n}.db")
                runs[name].append(run_child(name, copy_db(source, path), size))
                if n:
                    path.unlink()  # the first round's files are the ones checked
        files.update({name: where / f"{name}.db" for name in runs})
        base, mine = median_run(runs["by_hand"]), median_run(runs["ours"])
        files.setdefault("ours_loop_size", files["ours"])
        traced = None
        if args.tracemalloc_run:
            traced = run_child("ours", files["ours_traced"], size, traced=True)
        per_lead = run_child("loop_per_lead", files["loop_per_lead"], size)
        mine_small = mine if shared else run_child("ours", files["ours_loop_size"], size)
        batched = run_child("loop", files["loop"], size)
        print("checking ...", flush=True)
        checks = {
            "differ": {
                f"ours vs by hand ({args.leads:,} leads)": differences(
                    files["ours"], files["by_hand"]
                ),
                f"ours vs loop, a unit of work per lead ({loop_n:,} leads)": differences(
                    files["ours_loop_size"], files["loop_per_lead"]
                ),
                f"ours vs loop, batched ({loop_n:,} leads)": differences(
                    files["ours_loop_size"], files["loop"]
                ),
            },
            "sample": sample_after(files["ours"], SAMPLE),
            "second_sweep_changed": sweep_again(files["ours_loop_size"], size),
        }
        final_status = status_counts(files["ours"])

    results = {
        "contactlog_core sweep": mine,
        "sqlite3 by hand": base,
        "loop, unit of work per lead": per_lead,
        f"loop, {size:,} per unit of work": batched,
    }
    if mine_small is not mine:
        results["contactlog_core, on the loops' file"] = mine_small
    vs_sql = mine["seconds"] / base["seconds"]
    vs_loop = mine["leads_per_s"] / per_lead["leads_per_s"]
    vs_loop_same = mine_small["leads_per_s"] / per_lead["leads_per_s"]
    vs_batched = mine["leads_per_s"] / batched["leads_per_s"]
    vs_batched_same = mine_small["leads_per_s"] / batched["leads_per_s"]
    rss = mine["rss_peak_mib"]
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
        said = ", ".join(f"{k}={v}" for k, v in pragmas.items()) or "(one batch: not read)"
        print(f"pragmas ({name}): {said}")
    print(
        "ours moved: "
        + ", ".join(f"{k} {v:,}" for k, v in mine["transitions"].items())
        + f" in {mine['batches']:,} batches"
    )
    print("status after: " + ", ".join(f"{k} {v:,}" for k, v in final_status.items()))
    print("\n=== EXPLAIN QUERY PLAN (before the sweep, first batch's parameters) ===")
    print_plans(plans)
    print()
    if args.rounds > 1:
        for name, label in (("by_hand", "sqlite3 by hand"), ("ours", "contactlog_core sweep")):
            seconds = ", ".join(f"{r['seconds']:.2f}" for r in runs[name])
            print(f"{label}, seconds by round: {seconds} (the table shows the median run)")
    print(table(results, base, per_lead, batched))
    print(
        "vs SQL = seconds / hand-written's seconds (> 1 = slower); vs loop = leads/s / the"
        " per-lead loop's leads/s, vs batched = / the batched loop's (> 1 = faster); load ="
        " 1-minute load average before the run; peak RSS = VmHWM of the contender's own"
        " process; user/sys = its CPU seconds; read/written = bytes through read/write calls"
    )
    print(
        f"ours / hand-written SQL: {vs_sql:.2f}x the time at {args.leads:,} leads"
        f"  {verdict(vs_sql <= TARGET_SQL)} (target <= {TARGET_SQL})"
    )
    ours_said = f"ours' median of {len(runs['ours'])}" if shared else "ours on the loops' file"
    also = "" if shared else f"; ours' median at {args.leads:,} leads: {vs_loop:.1f}x"
    print(
        f"ours / loop with a unit of work per lead, both on {loop_n:,} leads:"
        f" {vs_loop_same:.1f}x the throughput ({ours_said} {mine_small['leads_per_s']:,.0f}"
        f" leads/s, the loop {per_lead['leads_per_s']:,.0f})"
        f"  {verdict(vs_loop_same >= TARGET_LOOP)} (target >= {TARGET_LOOP:.0f}){also}"
    )
    if shared and len(runs["ours"]) > 1:
        each = ", ".join(f"{r['leads_per_s'] / per_lead['leads_per_s']:.1f}x" for r in runs["ours"])
        print(f"  each run of ours against it, in order: {each}")
    also = "" if shared else f"; ours' median at {args.leads:,} leads: {vs_batched:.1f}x"
    print(
        f"ours / loop batched by hand ({size:,} leads per unit of work), both on {loop_n:,}"
        f" leads: {vs_batched_same:.1f}x the throughput (the loop at"
        f" {batched['leads_per_s']:,.0f} leads/s)  {verdict(vs_batched_same >= TARGET_LOOP)}"
        f" (the same target read against it){also}"
    )
    traced_peak = (
        "" if traced is None else f", tracemalloc peak {traced['tracemalloc_peak_mib']:.1f} MiB"
    )
    print(
        f"ours, memory: peak RSS {rss:.0f} MiB (before the sweep {mine['rss_before_mib']:.0f} MiB)"
        f"{traced_peak}  {verdict(rss < TARGET_RSS_MIB)} (target < {TARGET_RSS_MIB:.0f} MiB at 1M)"
    )
    checks_ok = print_checks(checks) and all(load_ok(d) for d in data.values())
    flags = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    report = {
        "machine": facts,
        "flags": flags,
        "now": NOW.isoformat(),
        "data": data,
        "targets": {
            "ours_over_sql_seconds": TARGET_SQL,
            "ours_over_loop_per_s": TARGET_LOOP,
            "peak_rss_mib": TARGET_RSS_MIB,
        },
        "results": results,
        "rounds": runs,
        "traced": traced,
        "ratios": {
            "ours_over_sql_seconds": vs_sql,
            "ours_over_loop_per_s": vs_loop,
            "ours_over_loop_per_s_same_size": vs_loop_same,
            "ours_over_batched_loop_per_s": vs_batched,
            "ours_over_batched_loop_per_s_same_size": vs_batched_same,
        },
        "meets_targets": {
            "sql": vs_sql <= TARGET_SQL,
            "loop": vs_loop_same >= TARGET_LOOP,
            "loop_batched": vs_batched_same >= TARGET_LOOP,
            "memory": rss < TARGET_RSS_MIB,
        },
        "status_after": final_status,
        "plans": plans,
        "checks": checks,
        "checks_ok": checks_ok,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")
    if not checks_ok:
        print("CHECKS FAILED: the contenders do not agree, or the data is not what it should be")
    return 0 if checks_ok else 1


if __name__ == "__main__":
    sys.exit(main())
