"""The SQLite read path at scale against hand-written ``sqlite3``: ``nox -s bench -- log_queries``.

One organisation with ``--logs N`` logs (default 1,000,000) in one file: 50
staff with varied names (some accented), statuses about 20% OPEN, 30%
IN_PROGRESS and 50% COMPLETED, about a third of the logs with one or two
follow-ups (some done), subjects from a small vocabulary, most with a contact.

**Load.** The schema, the organisation and the staff are made by the library
(``SqliteStore(path)``, ``app.organisations.create``, ``app.staff.add``); the
logs and follow-ups are then inserted with raw ``executemany`` in transactions
of ``LOAD_BATCH`` logs, their derived columns (``subject_key``, ``owner_key``,
``next_due_at``, ``follow_ups.org_id`` and ``open``) computed with the
library's own ``fold`` and ``name_key`` and the rules of ``domain.logs.query_rules``.
No audit events are loaded: the read path does not touch them. Then it is
**checked**: every row against the backfill rules of migration 0002 (in SQL,
with the library's functions registered), and for ~200 logs ``app.logs.get``
against what was inserted, the stored derived columns against what the store
itself would write for the log it read (``logs.log_params``,
``logs.follow_up_params``), and ``app.logs.list`` rows against
``query_rules.summary`` of the same logs. ``ANALYZE`` runs after the load
(``--no-analyze`` to skip it); the output says which.

**Measure.** For each case, ``--reps`` calls (default 200) with parameters
drawn per call (page, page size, actor, search prefix), each timed alone with
``time.perf_counter_ns`` for ours (``app.logs.list`` / ``badges`` /
``follow_ups`` on a ``SqliteStore``) and for a hand-written baseline on its
own ``sqlite3`` connection to the same file, in the same run, alternating
which side goes first. The baseline is the straightforward SQL a developer
would write for the same question on the same schema: one read transaction,
the actor's staff row, a ``COUNT`` for the total and the page with the same
``ORDER BY ... LIMIT ... OFFSET`` (``NULLS LAST`` for the nullable sorts, a
``JOIN staff ... LIKE`` for the owner search). Every answer of ours is
compared with the baseline's (total and ids in order, or the six counts).
Reported: p50/p99 in ms and ours / baseline (> 1 = ours slower). Target: list,
search and badges p99 under 20 ms at 1M logs. For every case of ours whose p99
is over 20 ms, the statements the store ran (captured with
``set_trace_callback`` on its connection) are printed with their own time and
their ``EXPLAIN QUERY PLAN``.

Run ``python bench/log_queries.py --logs 200000``, or ``--quick`` for a smoke
run. Results go to ``bench/results/log_queries.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _common as common
import attrs
import pendulum
from _data import DAY_US, SEED, STAFF_NAMES, add_staff, folded, keyed, micros_of, pick
from _measure import stats_ms
from _sqlite import (
    LOAD_BATCH,
    LOAD_CACHE_KIB,
    Loaded,
    bulk_load,
    connect,
    explain_each,
    read_pragmas,
    require_staff,
    traced,
)

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite import logs as store_rows
from contactlog_core.domain.logs import query_rules
from contactlog_core.domain.logs.queries import Badges
from contactlog_core.domain.shared.text import fold, name_key, name_words

TARGET_MS = 20.0
TARGET_GROUPS = ("list", "search", "badges")
NOW = pendulum.datetime(2026, 11, 2, 12, tz="UTC")
SPAN = dt.timedelta(days=730)  # logs were created over the two years before NOW
SAMPLE = 200
PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "cache_size", "page_size")

_WORD = re.compile(r"\w+")

SUBJECTS = (
    "Absence", "Late arrival", "Bus route", "Pick-up times", "Dinner money", "Uniform",
    "School trip", "Medical appointment", "Allergy update", "Change of address",
    "Parents' evening", "Homework", "Behaviour", "Bullying concern", "Reading book",
    "Club place", "Lost property", "Admissions", "Exam entry", "Réunion parents",
    "Safeguarding", "Transport form", "Photograph consent", "Fees",
)  # fmt: skip
NOTES = (
    "Called back and left a message.",
    "Parent happy with the answer.",
    "Needs a reply from the class teacher.",
    "Passed on to the office.",
    "",
)
REASONS = ("call back", "send the form", "check with the teacher", "chase payment", "")
FIRST = ("Sam", "Alex", "Jordan", "Kim", "Lee", "Robin", "Chris", "Pat", "Jamie", "Ali")
LAST = ("Baker", "Carter", "Dixon", "Ellis", "Fox", "Gray", "Hunt", "Irwin", "Khan", "Lloyd")
STATUSES = (("OPEN", 0.2), ("IN_PROGRESS", 0.3), ("COMPLETED", 0.5))
PRIORITIES = (("low", 0.2), ("normal", 0.6), ("high", 0.15), ("urgent", 0.05))
CHANNELS = ("phone", "email", "in_person", "letter", "sms", "other")


NOW_US = micros_of(NOW)


# --- the data set --------------------------------------------------------------------------


@attrs.frozen
class World:
    """The organisation and its staff, as the library made them."""

    org_id: str
    staff_ids: tuple[str, ...]
    names: dict[str, str]  # staff id -> name
    actors: dict[str, cl.Actor]


def seed_world(app: cl.ContactLogApp) -> World:
    org = app.organisations.create("Northfield Academy Trust", timezone="Europe/London")
    ids = add_staff(app, org.id)
    names = dict(zip(ids, STAFF_NAMES, strict=True))
    return World(org.id, tuple(ids), names, {i: app.actor(i) for i in ids})


def new_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


# logs columns in INSERT order; the derived ones are filled by make_log below.
LOG_COLUMNS = (
    "id", "org_id", "contact_id", "contact_name", "channel", "subject", "subject_key", "notes",
    "priority", "status", "owner", "owner_key", "created_by", "created_at", "updated_at",
    "completed_by", "completed_at", "next_due_at", "version",
)  # fmt: skip
FOLLOW_UP_COLUMNS = (
    "id", "log_id", "org_id", "position", "due_at", "reason", "assigned_to", "forward_to",
    "priority", "created_at", "done_at", "open",
)  # fmt: skip
TABLES = {"logs": LOG_COLUMNS, "follow_ups": FOLLOW_UP_COLUMNS}  # in the order they are filled


def make_follow_ups(rng: random.Random, world: World, log: dict[str, Any]) -> list[dict[str, Any]]:
    """Zero (two thirds of logs), one or two follow-ups; about a third of them done."""
    if rng.random() >= 1 / 3:
        return []
    items = []
    for position in range(rng.choice((1, 2))):
        created = log["created_at"]
        due = created + rng.randrange(DAY_US // 24, 21 * DAY_US)
        done = None
        if rng.random() < 0.35:
            done = min(NOW_US, created + rng.randrange(1, 21 * DAY_US))
        items.append(
            {
                "id": new_id(rng),
                "log_id": log["id"],
                "org_id": world.org_id,
                "position": position,
                "due_at": due,
                "reason": rng.choice(REASONS),
                "assigned_to": rng.choice(world.staff_ids) if rng.random() < 0.6 else None,
                "forward_to": rng.choice(world.staff_ids) if rng.random() < 0.1 else None,
                "priority": pick(rng, PRIORITIES),
                "created_at": created,
                "done_at": done,
                # query_rules: outstanding = not done, on a log that is not completed.
                "open": int(done is None and log["status"] != "COMPLETED"),
            }
        )
    return items


def make_log(
    rng: random.Random, world: World, i: int, n: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Log number ``i`` of ``n`` (created in order, oldest first) and its follow-ups."""
    created = NOW_US - int(SPAN / dt.timedelta(microseconds=1)) * (n - i) // n
    updated = min(NOW_US, created + rng.randrange(0, 30 * DAY_US))
    status = pick(rng, STATUSES)
    owner = rng.choice(world.staff_ids) if status == "IN_PROGRESS" else None
    completed = status == "COMPLETED"
    contact = rng.randrange(2000) if rng.random() < 0.7 else None
    subject = rng.choice(SUBJECTS)
    log = {
        "id": new_id(rng),
        "org_id": world.org_id,
        "contact_id": None if contact is None else f"contact-{contact}",
        "contact_name": None
        if contact is None
        else f"{FIRST[contact % 10]} {LAST[contact // 10 % 10]}",
        "channel": rng.choice(CHANNELS),
        "subject": subject,
        "subject_key": folded(subject),
        "notes": rng.choice(NOTES),
        "priority": pick(rng, PRIORITIES),
        "status": status,
        "owner": owner,
        "owner_key": None if owner is None else keyed(world.names[owner]),
        "created_by": rng.choice(world.staff_ids),
        "created_at": created,
        "updated_at": updated,
        "completed_by": rng.choice(world.staff_ids) if completed else None,
        "completed_at": updated if completed else None,
        "next_due_at": None,
        "version": rng.randint(2, 6) if completed else rng.randint(1, 4),
    }
    follow_ups = make_follow_ups(rng, world, log)
    # query_rules.summary: the earliest due of the outstanding follow-ups, else None.
    log["next_due_at"] = min((f["due_at"] for f in follow_ups if f["open"]), default=None)
    return log, follow_ups


Sampled = tuple[dict[str, Any], list[dict[str, Any]]]  # a log and its follow-ups, as inserted


def load(path: Path, world: World, n: int, analyze: bool) -> Loaded[Sampled]:
    """Insert ``n`` logs and their follow-ups; keep ~``SAMPLE`` of them to check."""

    def make(rng: random.Random, i: int) -> tuple[Sampled, dict[str, list[dict[str, Any]]]]:
        log, follow_ups = make_log(rng, world, i, n)
        return (log, follow_ups), {"logs": [log], "follow_ups": follow_ups}

    return bulk_load(path, n, make, TABLES, sample=SAMPLE, analyze=analyze)


# --- checking the load ---------------------------------------------------------------------

# Migration 0002's backfill rules, applied to every row: each count must be 0.
FULL_CHECKS = {
    "logs.subject_key": "SELECT count(*) FROM logs WHERE subject_key != contactlog_fold(subject)",
    "logs.owner_key": """
        SELECT count(*) FROM logs
         WHERE owner_key IS NOT (SELECT name_key FROM staff WHERE staff.id = logs.owner)""",
    "logs.next_due_at": """
        SELECT count(*) FROM logs
         WHERE next_due_at IS NOT (CASE WHEN status = 'COMPLETED' THEN NULL
                                   ELSE (SELECT min(due_at) FROM follow_ups f
                                          WHERE f.log_id = logs.id AND f.done_at IS NULL) END)""",
    "follow_ups.org_id": """
        SELECT count(*) FROM follow_ups
         WHERE org_id != (SELECT org_id FROM logs WHERE logs.id = follow_ups.log_id)""",
    "follow_ups.open": """
        SELECT count(*) FROM follow_ups
         WHERE open != (done_at IS NULL
                        AND (SELECT status FROM logs WHERE logs.id = follow_ups.log_id)
                            != 'COMPLETED')""",
    "staff.name_key": "SELECT count(*) FROM staff WHERE name_key != contactlog_name_key(name)",
}


def full_checks(path: Path) -> dict[str, int]:
    """Rows whose derived columns differ from what migration 0002 would compute (want 0)."""
    conn = connect(path)
    conn.create_function("contactlog_fold", 1, fold, deterministic=True)
    conn.create_function("contactlog_name_key", 1, name_key, deterministic=True)
    try:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in FULL_CHECKS.items()}
    finally:
        conn.close()


def as_inserted(log: cl.ContactLog) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The log ``app.logs.get`` returned, as the column values the loader inserted."""
    row = store_rows.log_params(log)
    row["owner_key"] = None if log.owner is None else "?"  # compared separately
    fus = [store_rows.follow_up_params(log, p, f) for p, f in enumerate(log.follow_ups)]
    return row, fus


def sample_checks(app: cl.ContactLogApp, world: World, sample: list[Sampled]) -> dict[str, Any]:
    """``app.logs.get`` and ``app.logs.list`` against what was inserted: mismatches (want 0)."""
    actor = world.actors[world.staff_ids[0]]
    wrong_get: list[str] = []
    for log, fus in sample:
        got, got_fus = as_inserted(app.logs.get(actor, log["id"]))
        expected = {**log, "owner_key": None if log["owner"] is None else "?"}
        if got != expected or got_fus != fus:
            wrong_get.append(log["id"])
        owner_name = world.names.get(log["owner"] or "")
        if log["owner_key"] != (None if owner_name is None else keyed(owner_name)):
            wrong_get.append(log["id"])
    wrong_list: list[str] = []
    checked = 0
    total = app.logs.list(actor, per_page=1).total
    middle = max(1, total // 200)
    for page in sorted({1, middle}):
        for item in app.logs.list(actor, page=page, per_page=100).items:
            log = app.logs.get(actor, item.id)
            owner_name = None if log.owner is None else world.names[log.owner]
            checked += 1
            if item != query_rules.summary(log, owner_name):
                wrong_list.append(item.id)
    return {
        "get_checked": len(sample),
        "get_mismatches": wrong_get,
        "list_rows_checked": checked,
        "list_mismatches": wrong_list,
    }


# --- the questions -------------------------------------------------------------------------


@attrs.frozen
class Request:
    """One call: which method, as whom, with which arguments (shared by both sides)."""

    kind: str  # "list" | "badges" | "follow_ups"
    staff_id: str
    kwargs: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Case:
    name: str
    group: str  # "list" | "search" | "badges" | "follow_ups"
    draw: Callable[[random.Random, World], Request]


def _list(**fixed: Any) -> Callable[[random.Random, World], Request]:
    """A list request with ``fixed`` arguments; ``page``/``per_page`` may be callables of rng."""

    def draw(rng: random.Random, world: World) -> Request:
        kwargs = {k: v(rng) if callable(v) else v for k, v in fixed.items()}
        return Request("list", rng.choice(world.staff_ids), kwargs)

    return draw


def _search(rng: random.Random, world: World) -> Request:
    """As-you-type: the first 1-3 letters of a word of a staff name, as typed."""
    words = _WORD.findall(world.names[rng.choice(world.staff_ids)])
    word = rng.choice(words)
    return Request("list", rng.choice(world.staff_ids), {"owner_name": word[: rng.randint(1, 3)]})


def _badges(rng: random.Random, world: World) -> Request:
    return Request("badges", rng.choice(world.staff_ids))


def _follow_ups(mine: bool) -> Callable[[random.Random, World], Request]:
    def draw(rng: random.Random, world: World) -> Request:
        kwargs = {"mine": mine, "per_page": rng.choice((10, 25))}
        return Request("follow_ups", rng.choice(world.staff_ids), kwargs)

    return draw


def _pages(low: int, high: int) -> Callable[[random.Random], int]:
    return lambda rng: rng.randint(low, high)


def _per_page(rng: random.Random) -> int:
    return rng.choice((10, 25, 50))


CASES = (
    Case("list p1 -updated_at", "list", _list(per_page=_per_page)),
    Case("list p45-55 -updated_at", "list", _list(page=_pages(45, 55))),
    Case("list status OPEN", "list", _list(status="OPEN", page=_pages(1, 5))),
    Case(
        "list status OPEN+IN_PROG",
        "list",
        _list(status=["OPEN", "IN_PROGRESS"], page=_pages(1, 5)),
    ),
    Case("sort subject", "list", _list(sort=["subject"], page=_pages(1, 10))),
    Case("sort -created_at", "list", _list(sort=["-created_at"], page=_pages(1, 10))),
    Case("sort owner_name", "list", _list(sort=["owner_name"], page=_pages(1, 10))),
    Case("sort next_due_at", "list", _list(sort=["next_due_at"], page=_pages(1, 10))),
    Case("search owner 1-3 letters", "search", _search),
    Case("badges (org + mine)", "badges", _badges),
    Case("follow_ups p1 due_at", "follow_ups", _follow_ups(mine=False)),
    Case("follow_ups mine", "follow_ups", _follow_ups(mine=True)),
)


# --- ours ----------------------------------------------------------------------------------


def ours_call(app: cl.ContactLogApp, world: World) -> Callable[[Request], Any]:
    logs = app.logs

    def call(req: Request) -> Any:
        actor = world.actors[req.staff_id]
        if req.kind == "list":
            return logs.list(actor, **req.kwargs)
        if req.kind == "badges":
            return logs.badges(actor)
        return logs.follow_ups(actor, **req.kwargs)

    return call


def ours_answer(result: Any) -> tuple[Any, ...]:
    """What is compared with the baseline: the total and ids in order, or the counts."""
    if isinstance(result, Badges):
        o, m = result.organisation, result.mine
        return (o.open, o.in_progress, o.follow_ups, m.open, m.in_progress, m.follow_ups)
    return (result.total, tuple(item.id for item in result.items))


# --- the hand-written baseline -------------------------------------------------------------

LIST_ROWS = """
SELECT l.id, l.subject, l.status, l.priority, l.channel, l.contact_name, l.owner,
       o.name AS owner_name, l.created_at, l.updated_at, l.next_due_at, l.version
  FROM logs l {join} staff o ON o.id = l.owner
"""
LIST_COUNT = "SELECT count(*) FROM logs l"
LIST_COUNT_SEARCH = "SELECT count(*) FROM logs l JOIN staff o ON o.id = l.owner"
SORT_COLUMNS = {
    "subject": "l.subject_key",
    "status": "l.status",
    "owner_name": "l.owner_key",
    "created_at": "l.created_at",
    "updated_at": "l.updated_at",
    "next_due_at": "l.next_due_at",
}
NULLABLE = frozenset({"owner_name", "next_due_at"})
FOLLOW_UP_ROWS = """
SELECT f.id, f.log_id, l.subject AS log_subject, f.due_at, f.reason, f.priority,
       f.assigned_to, a.name AS assignee_name, f.forward_to
  FROM follow_ups f JOIN logs l ON l.id = f.log_id LEFT JOIN staff a ON a.id = f.assigned_to
"""
FOLLOW_UP_COUNT = "SELECT count(*) FROM follow_ups f"
FOLLOW_UP_COUNT_MINE = "SELECT count(*) FROM follow_ups f JOIN logs l ON l.id = f.log_id"
# Mine, as for the badge: assigned or forwarded to me, or unassigned on a log I hold.
MINE = "(f.assigned_to = ? OR f.forward_to = ? OR (f.assigned_to IS NULL AND l.owner = ?))"
BADGES = """
SELECT (SELECT count(*) FROM logs WHERE org_id = :org AND status = 'OPEN'),
       (SELECT count(*) FROM logs WHERE org_id = :org AND status = 'IN_PROGRESS'),
       (SELECT count(*) FROM follow_ups WHERE org_id = :org AND open = 1),
       (SELECT count(*) FROM logs WHERE org_id = :org AND created_by = :me AND status = 'OPEN'),
       (SELECT count(*) FROM logs WHERE org_id = :org AND owner = :me AND status = 'IN_PROGRESS'),
       (SELECT count(*) FROM follow_ups f JOIN logs l ON l.id = f.log_id
         WHERE f.org_id = :org AND f.open = 1
           AND (f.assigned_to = :me OR f.forward_to = :me
                OR (f.assigned_to IS NULL AND l.owner = :me)))
"""


class Baseline:
    """The straightforward SQL: one read transaction, the staff check, a COUNT and the page."""

    def __init__(self, path: Path, world: World) -> None:
        self.conn = connect(path)
        self.org_id = world.org_id

    @contextmanager
    def reading(self, staff_id: str) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            require_staff(conn, staff_id, self.org_id)
            yield conn
        finally:
            conn.execute("COMMIT")

    def call(self, req: Request) -> Any:
        if req.kind == "list":
            return self.list(req.staff_id, **req.kwargs)
        if req.kind == "badges":
            return self.badges(req.staff_id)
        return self.follow_ups(req.staff_id, **req.kwargs)

    def list(
        self,
        staff_id: str,
        *,
        status: str | list[str] | None = None,
        owner_name: str | None = None,
        sort: list[str] | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> tuple[int, list[sqlite3.Row]]:
        where, params = ["l.org_id = ?"], [self.org_id]
        if status is not None:
            statuses = [status] if isinstance(status, str) else status
            where.append(f"l.status IN ({', '.join('?' * len(statuses))})")
            params.extend(statuses)
        terms = name_words(owner_name or "")
        for term in terms:  # name_key is " word word": " " + prefix starts a word
            where.append("o.name_key LIKE ?")
            params.append(f"% {term}%")
        key = (sort or ["-updated_at"])[0]
        column, desc = key.removeprefix("-"), key.startswith("-")
        direction = "DESC" if desc else "ASC"
        nulls = " NULLS LAST" if column in NULLABLE else ""
        order = f" ORDER BY {SORT_COLUMNS[column]} {direction}{nulls}, l.id {direction}"
        condition = " WHERE " + " AND ".join(where)
        with self.reading(staff_id) as conn:
            count_sql = LIST_COUNT_SEARCH if terms else LIST_COUNT
            total = conn.execute(count_sql + condition, params).fetchone()[0]
            rows_sql = LIST_ROWS.format(join="JOIN" if terms else "LEFT JOIN")
            rows = conn.execute(
                rows_sql + condition + order + " LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            ).fetchall()
        return total, rows

    def badges(self, staff_id: str) -> tuple[int, ...]:
        with self.reading(staff_id) as conn:
            return tuple(conn.execute(BADGES, {"org": self.org_id, "me": staff_id}).fetchone())

    def follow_ups(
        self, staff_id: str, *, mine: bool = False, page: int = 1, per_page: int = 10
    ) -> tuple[int, list[sqlite3.Row]]:
        where, params = ["f.org_id = ?", "f.open = 1"], [self.org_id]
        if mine:
            where.append(MINE)
            params.extend([staff_id] * 3)
        condition = " WHERE " + " AND ".join(where)
        with self.reading(staff_id) as conn:
            count_sql = FOLLOW_UP_COUNT_MINE if mine else FOLLOW_UP_COUNT
            total = conn.execute(count_sql + condition, params).fetchone()[0]
            rows = conn.execute(
                FOLLOW_UP_ROWS + condition + " ORDER BY f.due_at, f.id LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            ).fetchall()
        return total, rows

    def close(self) -> None:
        self.conn.close()


def baseline_answer(result: Any) -> tuple[Any, ...]:
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
        total, rows = result
        return (total, tuple(r["id"] for r in rows))
    return tuple(result)


# --- measuring -----------------------------------------------------------------------------


STATS = ("p50_ms", "p99_ms", "mean_ms", "max_ms")


@attrs.define
class CaseResult:
    case: Case
    ours_ns: list[int] = attrs.Factory(list)
    base_ns: list[int] = attrs.Factory(list)
    requests: list[Request] = attrs.Factory(list)
    disagreements: list[dict[str, Any]] = attrs.Factory(list)

    def slowest_request(self) -> Request:
        return self.requests[max(range(len(self.ours_ns)), key=self.ours_ns.__getitem__)]


def run_case(
    case: Case,
    world: World,
    ours: Callable[[Request], Any],
    base: Callable[[Request], Any],
    reps: int,
    warmup: int,
) -> CaseResult:
    """``warmup`` untimed then ``reps`` timed calls per side, same parameters, alternating."""
    rng = random.Random(f"{SEED}:{case.name}")
    clock = time.perf_counter_ns
    for _ in range(warmup):
        req = case.draw(rng, world)
        ours(req)
        base(req)
    result = CaseResult(case)
    gc.collect()
    sides = {"ours": (ours, result.ours_ns), "base": (base, result.base_ns)}
    for i in range(reps):
        req = case.draw(rng, world)
        answers = {}
        for side in ("ours", "base") if i % 2 == 0 else ("base", "ours"):
            fn, latencies = sides[side]
            t0 = clock()
            answers[side] = fn(req)
            latencies.append(clock() - t0)
        result.requests.append(req)
        got, want = ours_answer(answers["ours"]), baseline_answer(answers["base"])
        if got != want:
            result.disagreements.append({"request": attrs.asdict(req), "ours": got, "base": want})
    return result


# --- query plans ---------------------------------------------------------------------------


def explain(
    store: SqliteStore, call: Callable[[Request], Any], probe: sqlite3.Connection, req: Request
) -> list[dict[str, Any]]:
    """The store's statements for ``req``, each with its own time and query plan."""
    with traced(store._connection()) as seen:  # private, but this is a benchmark
        call(req)
    return explain_each(probe, seen)


# --- reporting -----------------------------------------------------------------------------


def summarise(result: CaseResult) -> dict[str, Any]:
    ours, base = stats_ms(result.ours_ns, STATS), stats_ms(result.base_ns, STATS)
    in_target = result.case.group in TARGET_GROUPS
    return {
        "group": result.case.group,
        "reps": len(result.ours_ns),
        "contactlog_core": ours,
        "sqlite3": base,
        "ratio_p50": ours["p50_ms"] / base["p50_ms"],
        "ratio_p99": ours["p99_ms"] / base["p99_ms"],
        "target_p99_ms": TARGET_MS if in_target else None,
        "meets_target": (ours["p99_ms"] < TARGET_MS) if in_target else None,
        "agree": len(result.ours_ns) - len(result.disagreements),
        "disagreements": result.disagreements[:3],
    }


def table(summaries: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'case':<26}{'ours p50':>9}{'p99':>8}{'base p50':>9}{'p99':>8}"
        f"{'x p50':>7}{'x p99':>7}  {'agree':<8}target p99<{TARGET_MS:.0f}ms"
    )
    lines = [head, "-" * len(head)]
    for name, s in summaries.items():
        o, b = s["contactlog_core"], s["sqlite3"]
        said = "-" if s["meets_target"] is None else common.verdict(s["meets_target"])
        lines.append(
            f"{name:<26}{o['p50_ms']:>9.2f}{o['p99_ms']:>8.2f}{b['p50_ms']:>9.2f}"
            f"{b['p99_ms']:>8.2f}{s['ratio_p50']:>6.2f}x{s['ratio_p99']:>6.2f}x"
            f"  {s['agree']}/{s['reps']:<5}{said}"
        )
    return "\n".join(lines)


def print_plans(plans: dict[str, list[dict[str, Any]]]) -> None:
    if not plans:
        print(f"no statement of ours needs a query plan: every p99 is under {TARGET_MS:.0f} ms")
        return
    for name, statements in plans.items():
        print(f"\n=== EXPLAIN QUERY PLAN: {name} (ours, slowest request) ===")
        for st in statements:
            print(f"-- {st['ms']:.2f} ms alone: {st['sql']}")
            for line in st["plan"]:
                print(f"   {line}")


# --- main ----------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument("--logs", type=int, default=1_000_000, help="logs in the organisation")
    parser.add_argument("--reps", type=int, default=200, help="timed calls per case and side")
    parser.add_argument("--warmup", type=int, default=10, help="untimed calls per case first")
    common.add_dir(parser, "where the database file goes")
    common.add_out(parser, "log_queries")
    common.add_quick(parser)
    parser.add_argument("--no-analyze", dest="analyze", action="store_false", help="skip ANALYZE")
    args = parser.parse_args(argv)
    if args.quick:
        args.logs, args.reps, args.warmup = 3_000, 20, 2
    if min(args.logs, args.reps) < 1 or args.warmup < 0:
        parser.error("--logs and --reps must be >= 1, --warmup >= 0")
    return args


def build(path: Path, args: argparse.Namespace) -> tuple[cl.ContactLogApp, World, dict[str, Any]]:
    """The library's schema, organisation and staff, then the bulk load and its checks."""
    app = cl.ContactLogApp(SqliteStore(path), clock=cl.ManualClock(NOW))
    world = seed_world(app)
    print(f"loading {args.logs:,} logs ...", flush=True)
    loaded = load(path, world, args.logs, args.analyze)
    logs, follow_ups = loaded.rows["logs"], loaded.rows["follow_ups"]
    analyzed = (
        f"ANALYZE ran ({loaded.analyze_seconds:.1f} s)" if args.analyze else "ANALYZE not run"
    )
    print(
        f"loaded {logs:,} logs and {follow_ups:,} follow-ups in {loaded.seconds:.1f} s"
        f" ({logs / loaded.seconds:,.0f} logs/s, transactions of {LOAD_BATCH:,} logs,"
        f" loader cache_size=-{LOAD_CACHE_KIB}); {analyzed};"
        f" file {path.stat().st_size / 2**20:,.0f} MiB",
        flush=True,
    )
    full = full_checks(path)
    sample = sample_checks(app, world, loaded.sample)
    facts = {
        "logs": logs,
        "follow_ups": follow_ups,
        "load_seconds": loaded.seconds,
        "analyze": args.analyze,
        "analyze_seconds": loaded.analyze_seconds,
        "file_mib": path.stat().st_size / 2**20,
        "full_checks": full,
        "sample_checks": sample,
    }
    return app, world, facts


def report_checks(facts: dict[str, Any]) -> bool:
    full, sample = facts["full_checks"], facts["sample_checks"]
    bad_rows = sum(full.values())
    print(
        "check, every row against migration 0002's rules: "
        + common.listed(full)
        + (" -> ok" if bad_rows == 0 else " -> ROWS DIFFER")
    )
    ok = not sample["get_mismatches"] and not sample["list_mismatches"]
    print(
        f"check, sample: {sample['get_checked']} logs via app.logs.get vs inserted"
        f" ({len(sample['get_mismatches'])} differ), {sample['list_rows_checked']} list rows"
        f" vs query_rules.summary ({len(sample['list_mismatches'])} differ)"
        + (" -> ok" if ok else " -> MISMATCH")
    )
    return bad_rows == 0 and ok


def distribution(path: Path) -> str:
    conn = connect(path)
    try:
        by_status = conn.execute("SELECT status, count(*) FROM logs GROUP BY status").fetchall()
        open_fus = conn.execute("SELECT count(*) FROM follow_ups WHERE open = 1").fetchone()[0]
        with_due = conn.execute("SELECT count(next_due_at) FROM logs").fetchone()[0]
    finally:
        conn.close()
    statuses = ", ".join(f"{s} {n:,}" for s, n in by_status)
    return f"data: {statuses}; open follow-ups {open_fus:,}; logs with next_due_at {with_due:,}"


@attrs.frozen
class Measured:
    settings: dict[str, dict[str, Any]]
    summaries: dict[str, dict[str, Any]]
    plans: dict[str, list[dict[str, Any]]]  # the cases whose p99 of ours is over target


def measure(app: cl.ContactLogApp, world: World, path: Path, args: argparse.Namespace) -> Measured:
    """Every case on both sides, then the plans of ours' slow ones; closes ``app``."""
    store = app.store
    assert isinstance(store, SqliteStore)
    base = Baseline(path, world)
    settings = {
        "ours": read_pragmas(store._connection(), PRAGMAS),
        "baseline": read_pragmas(base.conn, PRAGMAS),
    }
    common.print_pragmas(settings)
    ours = ours_call(app, world)
    try:
        results = {
            case.name: run_case(case, world, ours, base.call, args.reps, args.warmup)
            for case in CASES
        }
        summaries = {name: summarise(r) for name, r in results.items()}
        plans = {
            name: explain(store, ours, base.conn, results[name].slowest_request())
            for name, s in summaries.items()
            if s["contactlog_core"]["p99_ms"] > TARGET_MS
        }
    finally:
        base.close()
        app.close()
    return Measured(settings, summaries, plans)


def print_measured(args: argparse.Namespace, measured: Measured) -> None:
    print(
        f"\n{args.reps} timed calls per case and side (after {args.warmup} untimed),"
        " ms per call; x = ours / baseline (> 1 = ours slower)"
    )
    print(table(measured.summaries))
    print_plans(measured.plans)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    facts = common.machine()
    print(common.machine_line(facts, common.files_in(args.dir)))
    with common.workdir(args.dir, "bench-log-queries-") as where:
        path = where / "log_queries.db"
        app, world, data = build(path, args)
        checks_ok = report_checks(data)
        print(distribution(path))
        measured = measure(app, world, path, args)
    print_measured(args, measured)
    print()
    common.write_report(
        args.out,
        {
            "machine": facts,
            "flags": common.flags_of(args),
            "settings": measured.settings,
            "data": data,
            "target_p99_ms": TARGET_MS,
            "results": measured.summaries,
            "plans": measured.plans,
        },
    )
    disagree = [n for n, s in measured.summaries.items() if s["agree"] != s["reps"]]
    if disagree:
        print(f"ANSWERS DIFFER from the baseline in: {', '.join(disagree)}")
    return 0 if checks_ok and not disagree else 1


if __name__ == "__main__":
    sys.exit(main())
