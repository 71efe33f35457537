"""Shared by the SQLite crash tests: a writer process killed with SIGKILL, and the checks after.

The writer runs commands through ``ContactLogApp`` in a loop and, after each
call has returned (so the change is committed), appends ``"<log id> <version>"``
to a report file. The parent kills it at a random moment, then opens the file
afresh and checks that nothing reported is lost and nothing half-done shows.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from functools import partial
from multiprocessing.process import BaseProcess
from pathlib import Path

import attrs
import pendulum

from contactlog_core import Actor, ContactLog, ContactLogApp, FollowUpDraft, LogStatus
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.errors import StoreUnavailable
from tests.support.sqlite_torture import (
    SPAWN,
    TIMEOUT,
    Crew,
    check_log,
    describe,
    hire_crew,
    rng_for,
    seed_logs,
)

RECORD_SHARE = 0.05
MAX_OUTSTANDING = 5

# Per log, as its trail was last replayed: its version and the ids of its follow-ups.
Replayed = dict[str, tuple[int, frozenset[str]]]

# Raw facts of every log, for the checks that need no replay.
LOG_FACTS = """
SELECT l.id, l.version, l.status, l.owner, count(a.seq)
  FROM logs AS l
  LEFT JOIN audit_events AS a ON a.org_id = l.org_id AND a.entity_id = l.id AND a.entity = 'log'
 GROUP BY l.id
 ORDER BY l.rowid
"""
AUDITED_LOGS = "SELECT DISTINCT entity_id FROM audit_events WHERE entity = 'log'"


@attrs.frozen
class WriterOrders:
    """One writer's run: its crew and the logs so far; ``ops=None`` runs until killed."""

    path: str
    seed: int
    run: int
    crew: Crew
    log_ids: tuple[str, ...]
    report: str
    ops: int | None = None


@attrs.frozen
class CrashFigures:
    """What a run survived: ``commits`` reported, ``unreported`` committed but cut off by a kill."""

    kills: int
    commits: int
    unreported: int
    logs: int
    file_bytes: int


def crash_writer(orders: WriterOrders) -> None:
    """Run commands and report each committed one; an unexpected error is reported as ``! ...``."""
    fd = os.open(orders.report, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        _write(orders, fd)
    except BaseException as e:  # reported to the parent, which fails the test
        os.write(fd, f"! {describe(e)}\n".encode())
        raise
    finally:
        os.close(fd)


def _write(orders: WriterOrders, fd: int) -> None:
    store = SqliteStore(orders.path)
    try:
        app = ContactLogApp(store)
        rng = rng_for(orders.seed, f"writer {orders.run}")
        people = [app.actor(staff_id) for staff_id in orders.crew.everyone]
        log_ids = list(orders.log_ids)
        done = 0
        while orders.ops is None or done < orders.ops:
            try:
                log = _next_change(app, rng, people, log_ids)()
            except StoreUnavailable as e:
                if not e.retryable:
                    raise
                continue
            if log.version == 1:
                log_ids.append(log.id)
            # Only now is the change known to be committed.
            os.write(fd, f"{log.id} {log.version}\n".encode())
            done += 1
    finally:
        store.close()


def _next_change(
    app: ContactLogApp, rng: random.Random, people: list[Actor], log_ids: list[str]
) -> Callable[[], ContactLog]:
    """A command that should succeed, as the only writer sees the log now."""
    if not log_ids or rng.random() < RECORD_SHARE:
        due = FollowUpDraft(
            due_at=pendulum.now("UTC").add(days=rng.randint(1, 30)), reason="call back"
        )
        return partial(app.logs.record, rng.choice(people), subject="Parent called", follow_up=due)
    log = app.logs.get(people[0], rng.choice(log_ids))
    school_admins = [p for p in people if p.role == "school_admin"]
    if log.status is LogStatus.OPEN:
        return partial(app.logs.take, rng.choice(people), log.id)
    if log.status is LogStatus.COMPLETED:
        return partial(app.logs.reopen, rng.choice(school_admins), log.id)
    (owner,) = [p for p in people if p.staff_id == log.owner]
    choices: list[Callable[[], ContactLog]] = [
        partial(app.logs.surrender, owner, log.id),
        partial(app.logs.complete, owner, log.id),
        partial(app.logs.amend, owner, log.id, notes=f"rang back {rng.randrange(1000)}"),
    ]
    outstanding = [f for f in log.follow_ups if not f.is_done]
    if len(outstanding) < MAX_OUTSTANDING:
        due = FollowUpDraft(due_at=pendulum.now("UTC").add(days=rng.randint(1, 30)))
        choices.append(partial(app.logs.add_follow_up, owner, log.id, due))
    if outstanding:
        choices.append(
            partial(app.logs.complete_follow_up, owner, log.id, rng.choice(outstanding).id)
        )
    if owner.role == "office_admin":
        choices.append(partial(app.logs.force_take, rng.choice(school_admins), log.id))
    return rng.choice(choices)


def survive_kills(
    tmp: Path, *, kills: int, seed: int, logs: int = 20, max_delay: float = 0.4
) -> CrashFigures:
    """Kill a writer ``kills`` times on one growing file, checking the file after each kill.

    Then one more writer runs to its normal end on the same file, and every
    log's trail is replayed once more.
    """
    path = tmp / "contactlog.db"
    rng = rng_for(seed, "parent")
    app = ContactLogApp(SqliteStore(path))
    crew = hire_crew(app, office_admins=3, school_admins=2)
    initial = seed_logs(app, crew, logs, rng, open_share=0.5)
    app.close()
    log_ids, committed = list(initial), dict(initial)
    replayed: Replayed = {}
    commits = unreported = 0
    for run in range(kills + 1):
        last = run == kills
        orders = WriterOrders(
            str(path),
            seed,
            run,
            crew,
            tuple(log_ids),
            str(tmp / f"report-{run}.txt"),
            ops=100 if last else None,
        )
        reported = _run_writer(orders, None if last else rng.uniform(0, max_delay))
        commits += len(reported)
        for log_id, version in reported:
            committed[log_id] = max(version, committed.get(log_id, 0))
        replayed = {} if last else replayed
        log_ids = check_file(path, crew, committed, replayed)
        # Each change adds one to one log's version; a kill can cut off at most one report.
        unreported = sum(v for v, _ in replayed.values()) - sum(initial.values()) - commits
        assert 0 <= unreported <= min(run + 1, kills), (
            f"{unreported} changes committed but never reported"
        )
    size = sum(p.stat().st_size for p in tmp.glob("contactlog.db*"))
    return CrashFigures(kills, commits, unreported, len(log_ids), size)


def _run_writer(orders: WriterOrders, kill_after: float | None) -> list[tuple[str, int]]:
    """Run a writer until it has committed once, then ``kill_after`` seconds more; or to its end."""
    process = SPAWN.Process(target=crash_writer, args=(orders,), name=f"writer-{orders.run}")
    process.start()
    try:
        _wait_for_a_commit(process, Path(orders.report))
        if kill_after is not None:
            time.sleep(kill_after)
            assert process.is_alive(), f"the writer stopped by itself: {_errors(orders.report)}"
            process.kill()
        process.join(timeout=TIMEOUT)
    finally:
        if process.is_alive():
            process.kill()
            process.join(timeout=TIMEOUT)
    assert not _errors(orders.report), _errors(orders.report)
    assert process.exitcode == (0 if kill_after is None else -signal.SIGKILL), process.exitcode
    return _reported(orders.report)


def _wait_for_a_commit(process: BaseProcess, report: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not (report.exists() and report.stat().st_size):
        assert process.exitcode is None, "the writer died before its first commit"
        assert time.monotonic() < deadline, "the writer committed nothing in time"
        time.sleep(0.01)


def _lines(report: str) -> list[str]:
    # A line cut short by the kill has no newline yet: it was never reported.
    text = Path(report).read_text() if os.path.exists(report) else ""
    return text.splitlines()[: text.count("\n")]


def _errors(report: str) -> list[str]:
    return [line for line in _lines(report) if line.startswith("!")]


def _reported(report: str) -> list[tuple[str, int]]:
    pairs = [line.split() for line in _lines(report)]
    return [(log_id, int(version)) for log_id, version in pairs]


def check_file(path: Path, crew: Crew, committed: dict[str, int], replayed: Replayed) -> list[str]:
    """Open the file afresh and check it whole; return the ids of its logs.

    The file is intact, every reported change is there (or a later one), and no
    half-done change shows: each log's version equals its number of audit events,
    the lock invariant holds, the trail of each log changed since ``replayed``
    saw it replays to the stored log, and the follow-up rows are exactly those
    of the logs that hold them. ``replayed`` is updated; pass ``{}`` to replay all.
    """
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        facts = conn.execute(LOG_FACTS).fetchall()
        follow_up_rows = set(conn.execute("SELECT id, log_id FROM follow_ups"))
        audited = {row[0] for row in conn.execute(AUDITED_LOGS)}
    for log_id, version, status, owner, events in facts:
        assert version == events, f"log {log_id}: version {version}, {events} audit events"
        assert (status == "IN_PROGRESS") == (owner is not None), (log_id, status, owner)
    log_ids = [log_id for log_id, *_ in facts]
    assert audited == set(log_ids), "audit events and logs disagree on which logs exist"
    _replay(path, crew, [i for i, v, *_ in facts if replayed.get(i, (0,))[0] != v], replayed)
    assert set(replayed) == set(log_ids)
    held = {(f, log_id) for log_id, (_, follow_ups) in replayed.items() for f in follow_ups}
    assert held == follow_up_rows, "follow-up rows disagree with the logs that hold them"
    lost = {i: v for i, v in committed.items() if replayed.get(i, (0,))[0] < v}
    assert not lost, f"committed changes lost (log: version reported): {lost}"
    return log_ids


def _replay(path: Path, crew: Crew, log_ids: list[str], replayed: Replayed) -> None:
    app = ContactLogApp(SqliteStore(path))
    try:
        viewer = app.actor(crew.office_admins[0])
        for log_id in log_ids:
            stored, _ = check_log(app, viewer, log_id)
            replayed[log_id] = (stored.version, frozenset(f.id for f in stored.follow_ups))
    finally:
        app.close()
