"""The SQLite write path against hand-written ``sqlite3``: ``nox -s bench -- logs [flags]``.

Two figures, each measured for ``contactlog_core`` (``ContactLogApp`` on a
``SqliteStore``) and for a hand-written baseline doing the same database work
with raw ``sqlite3``, in the same run, on separate fresh files with the same
schema (the baseline's file is created by opening a ``SqliteStore`` on it),
the same organisation, staff member, subjects and follow-ups:

1. **record**: ``--logs N`` calls of ``app.logs.record`` (every other one with
   a follow-up), one call = one transaction. Baseline, per log, in one
   ``BEGIN IMMEDIATE ... COMMIT``: SELECT the actor's staff row, INSERT the
   log with the derived columns of migration 0002 (``subject_key`` folded in
   Python, ``owner_key`` by the same sub-select on ``staff``, ``next_due_at``),
   the ``UPDATE follow_ups SET open = ...`` the store runs for a new log,
   INSERT its follow-up (if any, with ``org_id`` and ``open``), INSERT the
   audit event with a JSON snapshot of the same shape as ours. Reported as
   logs/s.
2. **cycles**: ``--cycles N`` take + surrender pairs by one staff member over
   a pool of ``--pool`` logs recorded in step 1. Baseline, per operation, in
   one transaction: SELECT the staff row, SELECT the log and its follow-ups,
   the conditional ``UPDATE logs ... WHERE id=? AND org_id=? AND version=?``
   (which also resets ``owner_key`` from ``staff``), INSERT the audit event with the after JSON and the fields that differed before (as the
   store keeps a change). Reported as ops/s and
   p50/p99 latency per operation (``time.perf_counter_ns`` around each call).

Ratios say how many times slower ours is, so > 1 means slower: ours / baseline
for latencies, baseline / ours for throughputs. Target: <= 1.5 on both.
Both connections use WAL, ``synchronous=NORMAL``, ``foreign_keys=ON`` and the
store's busy timeout; the pragmas are read back and printed. Each phase is
warmed up (untimed) first, and the garbage collector is run before timing.

Run ``python bench/logs.py --logs 20000 --cycles 10000``, or ``--quick`` for a
smoke run; ``--profile`` prints cProfile hotspots of both write paths instead
of timing them. Results go to ``bench/results/logs.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import _common as common
import attrs
import pendulum
from _data import micros_of
from _measure import percentile
from _sqlite import connect, immediate, read_pragmas, require_staff

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.domain.shared.text import fold
from contactlog_core.instants import from_micros

TARGET = 1.5
START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
DUE = pendulum.datetime(2026, 12, 1, 9, tz="UTC")
PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "page_size")


# --- the workload, shared by both sides ----------------------------------------------------


@attrs.frozen
class LogSpec:
    """One log to record: the same list feeds ours and the baseline."""

    subject: str
    notes: str
    follow_up_reason: str | None  # None: no follow-up


def workload(n: int, offset: int = 0) -> list[LogSpec]:
    """``n`` logs, every other one with a follow-up."""
    return [
        LogSpec(
            subject=f"Parent called about the bus, route {i % 37}",
            notes=f"Asked about pick-up times; log {i}.",
            follow_up_reason="call back" if i % 2 == 0 else None,
        )
        for i in range(offset, offset + n)
    ]


def summary(latencies_ns: list[int], count: int) -> dict[str, float]:
    """Throughput from the summed per-call times, and the p50/p99 per call."""
    ordered = sorted(latencies_ns)
    seconds = sum(ordered) / 1e9
    return {
        "count": count,
        "seconds": seconds,
        "per_s": count / seconds if seconds else 0.0,
        "p50_us": percentile(ordered, 50) / 1000,
        "p99_us": percentile(ordered, 99) / 1000,
    }


# --- ours ----------------------------------------------------------------------------------


@attrs.define
class Ours:
    app: cl.ContactLogApp
    actor: cl.Actor

    def record(self, spec: LogSpec) -> str:
        follow_up = None
        if spec.follow_up_reason is not None:
            follow_up = cl.FollowUpDraft(due_at=DUE, reason=spec.follow_up_reason)
        return self.app.logs.record(
            self.actor, subject=spec.subject, notes=spec.notes, follow_up=follow_up
        ).id

    def take(self, log_id: str) -> None:
        self.app.logs.take(self.actor, log_id)

    def surrender(self, log_id: str) -> None:
        self.app.logs.surrender(self.actor, log_id)

    def close(self) -> None:
        self.app.close()


def make_clock(kind: str) -> cl.Clock:
    if kind == "system":
        return cl.SystemClock()
    return cl.ManualClock(START, tick=pendulum.duration(microseconds=1))


def seed(path: Path, clock: cl.Clock) -> tuple[cl.ContactLogApp, cl.Actor]:
    """A fresh store on ``path`` with one organisation and one office admin."""
    app = cl.ContactLogApp(SqliteStore(path), clock=clock)
    org = app.organisations.create("Northfield Primary", timezone="Europe/London")
    alice = app.staff.add(org.id, name="Alice Smith", role="office_admin")
    return app, app.actor(alice.id)


def open_ours(path: Path, clock_kind: str) -> Ours:
    app, actor = seed(path, make_clock(clock_kind))
    return Ours(app, actor)


def ours_pragmas(ours: Ours) -> dict[str, Any]:
    # Read back from the store's own connection (private, but this is a benchmark).
    store = ours.app.store
    assert isinstance(store, SqliteStore)
    return read_pragmas(store._connection(), PRAGMAS)


# --- the hand-written baseline -------------------------------------------------------------

# The derived columns of migration 0002 are written as the store writes them: the
# owner's name key by a sub-select on staff, the folded subject and the next due
# instant computed in Python.
INSERT_LOG = """
INSERT INTO logs (id, org_id, contact_id, contact_name, channel, subject, subject_key, notes,
                  priority, status, owner, owner_key, created_by, created_at, updated_at,
                  completed_by, completed_at, next_due_at, version)
VALUES (?1, ?2, NULL, NULL, 'phone', ?3, ?4, ?5, 'normal', 'IN_PROGRESS', ?6,
        (SELECT name_key FROM staff WHERE id = ?6), ?6, ?7, ?7, NULL, NULL, ?8, 1)
"""
INSERT_FOLLOW_UP = """
INSERT INTO follow_ups (id, log_id, org_id, position, due_at, reason, assigned_to, forward_to,
                        priority, created_at, done_at, open)
VALUES (?, ?, ?, 0, ?, ?, NULL, NULL, 'normal', ?, NULL, 1)
"""
INSERT_AUDIT = """
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before_changes,
                          after)
VALUES (?, ?, 'log', ?, ?, ?, ?, ?, ?)
"""
SELECT_LOG = "SELECT * FROM logs WHERE id = ? AND org_id = ?"
SELECT_FOLLOW_UPS = "SELECT * FROM follow_ups WHERE log_id = ? ORDER BY position"
UPDATE_LOCK = """
UPDATE logs SET status = ?1, owner = ?2, owner_key = (SELECT name_key FROM staff WHERE id = ?2),
                updated_at = ?3, version = version + 1
 WHERE id = ?4 AND org_id = ?5 AND version = ?6
"""
_LOG_TIMES = ("created_at", "updated_at", "completed_at")
_FOLLOW_UP_TIMES = ("due_at", "created_at", "done_at")
# Columns kept for the queries only: not part of a log's audit snapshot.
_LOG_DERIVED = ("subject_key", "owner_key", "next_due_at")
_FOLLOW_UP_DERIVED = ("org_id", "open")


def iso(micros: int | None) -> str | None:
    """An instant stored as microseconds, as the ISO 8601 text our snapshots use."""
    if micros is None:
        return None
    return from_micros(micros).isoformat()


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class Baseline:
    """What a careful developer would write by hand: bound parameters, one transaction per call."""

    def __init__(self, path: Path, actor: cl.Actor, clock_kind: str) -> None:
        self.conn = connect(path)
        self.staff_id, self.org_id = actor.staff_id, actor.org_id
        self._system = clock_kind == "system"
        self._now = micros_of(START) + 10_000  # past the seed rows

    def now(self) -> int:
        if self._system:
            return time.time_ns() // 1000
        self._now += 1
        return self._now

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE ... COMMIT``, the actor checked first as the store does."""
        with immediate(self.conn) as conn:
            require_staff(conn, self.staff_id, self.org_id)
            yield conn

    def record(self, spec: LogSpec) -> str:
        with self.transaction() as conn:
            now = self.now()
            log_id = uuid.uuid4().hex
            due = None if spec.follow_up_reason is None else micros_of(DUE)
            conn.execute(
                INSERT_LOG,
                (
                    log_id,
                    self.org_id,
                    spec.subject,
                    fold(spec.subject),
                    spec.notes,
                    self.staff_id,
                    now,
                    due,  # next_due_at: the one outstanding follow-up's, if any
                ),
            )
            follow_ups = []
            if spec.follow_up_reason is not None:
                follow_ups.append(self.add_follow_up(conn, log_id, due, spec.follow_up_reason, now))
            after = self.new_snapshot(spec, log_id, now, follow_ups)
            self.audit(conn, log_id, "record", now, None, after)
        return log_id

    def add_follow_up(
        self, conn: sqlite3.Connection, log_id: str, due: int | None, reason: str, now: int
    ) -> dict[str, Any]:
        """INSERT a new log's follow-up; its snapshot."""
        fu_id = uuid.uuid4().hex
        conn.execute(INSERT_FOLLOW_UP, (fu_id, log_id, self.org_id, due, reason, now))
        return {
            "assigned_to": None,
            "created_at": iso(now),
            "done_at": None,
            "due_at": iso(due),
            "forward_to": None,
            "id": fu_id,
            "priority": "normal",
            "reason": reason,
        }

    def new_snapshot(
        self, spec: LogSpec, log_id: str, now: int, follow_ups: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The after snapshot of a log just recorded, as ours audits it."""
        return {
            "channel": "phone",
            "completed_at": None,
            "completed_by": None,
            "contact": None,
            "created_at": iso(now),
            "created_by": self.staff_id,
            "follow_ups": follow_ups,
            "id": log_id,
            "notes": spec.notes,
            "org_id": self.org_id,
            "owner": self.staff_id,
            "priority": "normal",
            "status": "IN_PROGRESS",
            "subject": spec.subject,
            "updated_at": iso(now),
            "version": 1,
        }

    def audit(
        self,
        conn: sqlite3.Connection,
        log_id: str,
        command: str,
        now: int,
        before: dict[str, Any] | None,
        after: dict[str, Any],
    ) -> None:
        event_id = uuid.uuid4().hex
        # As the store keeps a change: the fields whose values differ from ``after``.
        changes = None if before is None else {k: v for k, v in before.items() if v != after[k]}
        changes_json = None if changes is None else dumps(changes)
        conn.execute(
            INSERT_AUDIT,
            (
                event_id,
                self.org_id,
                log_id,
                command,
                self.staff_id,
                now,
                changes_json,
                dumps(after),
            ),
        )

    def take(self, log_id: str) -> None:
        self.transition(log_id, "take", "IN_PROGRESS", self.staff_id)

    def surrender(self, log_id: str) -> None:
        self.transition(log_id, "surrender", "OPEN", None)

    def transition(self, log_id: str, command: str, status: str, owner: str | None) -> None:
        with self.transaction() as conn:
            row = conn.execute(SELECT_LOG, (log_id, self.org_id)).fetchone()
            if row is None:
                raise LookupError(f"no log {log_id}")
            allowed = row["status"] == "OPEN" if owner else row["owner"] == self.staff_id
            if not allowed:
                raise RuntimeError(f"cannot {command} a {row['status']} log")
            follow_ups = conn.execute(SELECT_FOLLOW_UPS, (log_id,)).fetchall()
            before = snapshot(row, follow_ups)
            now = self.now()
            after = {
                **before,
                "status": status,
                "owner": owner,
                "updated_at": iso(now),
                "version": row["version"] + 1,
            }
            changed = conn.execute(
                UPDATE_LOCK, (status, owner, now, log_id, self.org_id, row["version"])
            )
            if changed.rowcount != 1:
                raise RuntimeError(f"log {log_id} changed under us")
            self.audit(conn, log_id, command, now, before, after)

    def close(self) -> None:
        self.conn.close()


def snapshot(row: sqlite3.Row, follow_ups: Sequence[sqlite3.Row]) -> dict[str, Any]:
    """The JSON-ready shape of a log row and its follow-up rows (as our snapshots are)."""
    log = dict(row)
    for key in _LOG_DERIVED:
        del log[key]
    contact_id, contact_name = log.pop("contact_id"), log.pop("contact_name")
    log["contact"] = (
        None if contact_id is None else {"id": contact_id, "display_name": contact_name}
    )
    for key in _LOG_TIMES:
        log[key] = iso(log[key])
    items = []
    for fu_row in follow_ups:
        fu = dict(fu_row)
        del fu["log_id"], fu["position"]
        for key in _FOLLOW_UP_DERIVED:
            del fu[key]
        for key in _FOLLOW_UP_TIMES:
            fu[key] = iso(fu[key])
        items.append(fu)
    log["follow_ups"] = items
    return log


def open_baseline(path: Path, clock_kind: str) -> Baseline:
    """Schema, organisation and staff made by the library (identical), then raw sqlite3."""
    app, actor = seed(path, make_clock(clock_kind))
    app.close()
    return Baseline(path, actor, clock_kind)


def audit_sizes(path: Path) -> dict[str, dict[str, float]]:
    """Mean JSON bytes of the audit snapshots per command: a check that both sides write alike."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT command, count(*),"
            " avg(coalesce(length(before), length(before_changes), 0)), avg(length(after))"
            " FROM audit_events WHERE entity = 'log' GROUP BY command ORDER BY command"
        ).fetchall()
    return {c: {"events": n, "before": round(b, 1), "after": round(a, 1)} for c, n, b, a in rows}


def derived_columns(path: Path) -> dict[str, int]:
    """How many rows carry each column of migration 0002: a check that both sides write them."""
    with sqlite3.connect(path) as conn:
        logs = conn.execute(
            "SELECT count(*), count(owner_key), count(next_due_at), sum(subject_key != '')"
            " FROM logs"
        ).fetchone()
        fus = conn.execute(
            "SELECT count(*), sum(org_id != ''), sum(open) FROM follow_ups"
        ).fetchone()
    names = ("logs", "owner_key", "next_due_at", "subject_key", "follow_ups", "org_id", "open")
    return dict(zip(names, (*logs, *fus), strict=True))


# --- the phases ----------------------------------------------------------------------------

Side = Ours | Baseline


def record_phase(side: Side, specs: list[LogSpec]) -> tuple[list[str], list[int]]:
    """Record every spec, timing each call alone; the ids recorded and the latencies."""
    ids: list[str] = []
    latencies: list[int] = []
    clock = time.perf_counter_ns
    gc.collect()  # collected first, not disabled: the collector's cost is part of the path
    for spec in specs:
        t0 = clock()
        log_id = side.record(spec)
        latencies.append(clock() - t0)
        ids.append(log_id)
    return ids, latencies


def cycle_phase(side: Side, pool: list[str], cycles: int) -> tuple[list[int], list[int]]:
    """``cycles`` take + surrender pairs round the pool; latencies of takes and surrenders."""
    takes: list[int] = []
    surrenders: list[int] = []
    clock = time.perf_counter_ns
    gc.collect()
    for i in range(cycles):
        log_id = pool[i % len(pool)]
        t0 = clock()
        side.take(log_id)
        t1 = clock()
        side.surrender(log_id)
        t2 = clock()
        takes.append(t1 - t0)
        surrenders.append(t2 - t1)
    return takes, surrenders


def prepare_pool(side: Side, ids: list[str], size: int) -> list[str]:
    """The first ``size`` recorded logs, surrendered (untimed) so that a cycle starts OPEN."""
    pool = ids[:size]
    for log_id in pool:
        side.surrender(log_id)
    return pool


def run_side(side: Side, args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, record ``--logs`` logs, then ``--cycles`` take/surrender pairs."""
    record_phase(side, workload(args.warmup, offset=10**6))  # warm-up: statement cache, imports
    ids, record_ns = record_phase(side, workload(args.logs))
    pool = prepare_pool(side, ids, min(args.pool, len(ids)))
    cycle_phase(side, pool, min(args.warmup, args.cycles))  # warm the take/surrender path
    takes, surrenders = cycle_phase(side, pool, args.cycles)
    return {
        "record": summary(record_ns, len(record_ns)),
        "cycles": summary(takes + surrenders, len(takes) + len(surrenders)),
        "take": summary(takes, len(takes)),
        "surrender": summary(surrenders, len(surrenders)),
    }


# --- reporting -----------------------------------------------------------------------------


def ratios(ours: dict[str, Any], base: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Slowdowns (> 1 = ours slower): baseline / ours for per_s, ours / baseline for times."""
    out = {}
    for phase in ours:
        o, b = ours[phase], base[phase]
        out[phase] = {
            "per_s": b["per_s"] / o["per_s"],
            "p50_us": o["p50_us"] / b["p50_us"],
            "p99_us": o["p99_us"] / b["p99_us"],
        }
    return out


def table(ours: dict[str, Any], base: dict[str, Any], rat: dict[str, Any]) -> str:
    head = f"{'phase':<11}{'side':<17}{'count':>8}{'per s':>10}{'p50 us':>10}{'p99 us':>10}"
    lines = [head, "-" * len(head)]
    for phase in ours:
        for name, r in (("contactlog_core", ours[phase]), ("sqlite3 by hand", base[phase])):
            lines.append(
                f"{phase:<11}{name:<17}{r['count']:>8}{r['per_s']:>10.0f}"
                f"{r['p50_us']:>10.0f}{r['p99_us']:>10.0f}"
            )
        x = rat[phase]
        verdict = "ok" if x["per_s"] <= TARGET else f"MISS (target <= {TARGET})"
        lines.append(
            f"{phase:<11}{'slowdown':<17}{'':>8}{x['per_s']:>9.2f}x"
            f"{x['p50_us']:>9.2f}x{x['p99_us']:>9.2f}x  {verdict}"
        )
    return "\n".join(lines)


# --- profiling -----------------------------------------------------------------------------


def profile(side: Side, args: argparse.Namespace, top: int) -> str:
    """cProfile of one side's timed phases, top functions by own time and by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_side(side, args)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- main ----------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = common.parser_for(__doc__)
    parser.add_argument("--logs", type=int, default=100_000, help="logs to record per side")
    parser.add_argument("--cycles", type=int, default=20_000, help="take+surrender pairs")
    parser.add_argument("--pool", type=int, default=1_000, help="logs the cycles go round")
    parser.add_argument("--warmup", type=int, default=500, help="untimed calls before each phase")
    parser.add_argument("--clock", choices=("manual", "system"), default="manual")
    common.add_dir(parser)
    common.add_out(parser, "logs")
    common.add_quick(parser)
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=25,
        default=None,
        metavar="TOP",
        help="print cProfile hotspots of both sides instead of timing (default top 25)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.logs, args.cycles, args.pool, args.warmup = 300, 200, 50, 20
    if min(args.logs, args.cycles, args.pool) < 1 or args.warmup < 0:
        parser.error("--logs, --cycles and --pool must be >= 1, --warmup >= 0")
    return args


@contextmanager
def both_sides(where: Path, clock_kind: str) -> Iterator[tuple[Ours, Baseline]]:
    """Ours and the baseline, each on its own fresh file in ``where``; closed afterwards."""
    ours = open_ours(where / "ours.db", clock_kind)
    base = open_baseline(where / "baseline.db", clock_kind)
    try:
        yield ours, base
    finally:
        ours.close()
        base.close()


def print_profiles(where: Path, args: argparse.Namespace) -> None:
    with both_sides(where, args.clock) as (ours, base):
        for name, side in (("contactlog_core", ours), ("sqlite3 by hand", base)):
            print(f"=== cProfile: {name} ===")
            print(profile(side, args, args.profile))


@attrs.frozen
class Outcome:
    """What both sides did and what their files hold afterwards."""

    settings: dict[str, dict[str, Any]]
    ours: dict[str, Any]
    base: dict[str, Any]
    audit_sizes: dict[str, dict[str, dict[str, float]]]
    derived: dict[str, dict[str, int]]


def measure(where: Path, args: argparse.Namespace) -> Outcome:
    """Both sides' phases (the baseline's first), then what each side's file holds."""
    with both_sides(where, args.clock) as (ours, base):
        settings = {"ours": ours_pragmas(ours), "baseline": read_pragmas(base.conn, PRAGMAS)}
        base_r = run_side(base, args)  # baseline first: ours gets the warmer machine,
        ours_r = run_side(ours, args)  # not the cooler one
    files = {name: where / f"{name}.db" for name in ("ours", "baseline")}
    return Outcome(
        settings,
        ours_r,
        base_r,
        {name: audit_sizes(path) for name, path in files.items()},
        {name: derived_columns(path) for name, path in files.items()},
    )


def print_outcome(args: argparse.Namespace, facts: dict[str, Any], outcome: Outcome) -> None:
    """The run's settings, the checks that both sides wrote alike, then the table."""
    print(common.machine_line(facts, f"clock={args.clock}", common.files_in(args.dir)))
    common.print_pragmas(outcome.settings)
    print(
        f"record: {args.logs} logs (every other with a follow-up); "
        f"cycles: {args.cycles} take+surrender pairs over {min(args.pool, args.logs)} logs; "
        f"warm-up {args.warmup} calls per phase"
    )
    for name, by_command in outcome.audit_sizes.items():
        print(
            f"audit JSON ({name}): "
            + ", ".join(
                f"{c} {s['events']}x before {s['before']:.0f} B after {s['after']:.0f} B"
                for c, s in by_command.items()
            )
        )
    for name, counts in outcome.derived.items():
        print(f"rows with 0002 columns ({name}): {common.listed(counts)}")
    print(table(outcome.ours, outcome.base, ratios(outcome.ours, outcome.base)))
    print("slowdown: baseline/ours for per s, ours/baseline for latencies (> 1 = ours slower)")


def report_of(args: argparse.Namespace, facts: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    return {
        "machine": facts,
        "flags": common.flags_of(args),
        "settings": outcome.settings,
        "audit_json_bytes": outcome.audit_sizes,
        "derived_columns": outcome.derived,
        "target_slowdown": TARGET,
        "results": {"contactlog_core": outcome.ours, "sqlite3": outcome.base},
        "slowdown": ratios(outcome.ours, outcome.base),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    with common.workdir(args.dir, "bench-logs-") as where:
        if args.profile is not None:
            print_profiles(where, args)
            return 0
        outcome = measure(where, args)
    facts = common.machine()
    print_outcome(args, facts, outcome)
    common.write_report(args.out, report_of(args, facts, outcome), ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
