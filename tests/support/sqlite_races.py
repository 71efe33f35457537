"""The SQLite race scenarios: processes racing for the same logs, and the checks after.

Shared by ``tests/torture/test_sqlite_races.py`` (full size) and
``tests/integration/test_sqlite_races_small.py``. The worker functions are
module-level so that "spawn"ed processes can import them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from contactlog_core import Actor, ContactLogApp
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.domain.shared.audit import AuditEvent
from tests.support.sqlite_torture import (
    TIMEOUT,
    Crew,
    Orders,
    Outcome,
    Report,
    attempt,
    check_log,
    describe,
    hire_crew,
    outcome_of,
    rng_for,
    run_workers,
    seed_logs,
    summary,
)

# (command, weight) of the random race; reopen (by a school admin) brings completed logs back.
RACE_COMMANDS = (
    ("take", 35),
    ("surrender", 20),
    ("force_take", 15),
    ("complete", 15),
    ("reopen", 15),
)


def random_race_worker(orders: Orders, start: Barrier, reports: Queue[Report]) -> None:
    """Random commands on random logs, all workers starting together."""
    _report(orders, start, reports, _random_race)


def take_race_worker(orders: Orders, start: Barrier, reports: Queue[Report]) -> None:
    """One ``take`` per log, every racer released by the barrier at the same moment."""
    _report(orders, start, reports, _take_race)


def fresh_file_worker(orders: Orders, start: Barrier, reports: Queue[Report]) -> None:
    """Open a store on each of ``orders.fresh_files``, every racer released at the same moment."""
    try:
        outcomes = []
        for seq, path in enumerate(orders.fresh_files):
            start.wait(timeout=TIMEOUT)
            outcomes.append(
                outcome_of(
                    Outcome(orders.worker, seq, "open", path, ""), partial(_open_and_close, path)
                )
            )
        reports.put(Report(orders.worker, tuple(outcomes)))
    except BaseException as e:  # reported to the parent, which fails the test
        reports.put(Report(orders.worker, crash=describe(e)))
        raise


def _open_and_close(path: str) -> None:
    SqliteStore(path).close()


_Play = Callable[[ContactLogApp, Orders, Barrier], list[Outcome]]


def _report(orders: Orders, start: Barrier, reports: Queue[Report], play: _Play) -> None:
    try:
        store = SqliteStore(orders.path)
        try:
            outcomes = play(ContactLogApp(store), orders, start)
        finally:
            store.close()
        reports.put(Report(orders.worker, tuple(outcomes)))
    except BaseException as e:  # reported to the parent, which fails the test
        reports.put(Report(orders.worker, crash=describe(e)))
        raise


def _random_race(app: ContactLogApp, orders: Orders, start: Barrier) -> list[Outcome]:
    rng = rng_for(orders.seed, f"worker {orders.worker}")
    actors = [app.actor(staff_id) for staff_id in orders.actors]
    reopener = app.actor(orders.reopener)
    commands, weights = zip(*RACE_COMMANDS, strict=True)
    start.wait(timeout=TIMEOUT)
    outcomes = []
    for seq in range(orders.ops):
        command = rng.choices(commands, weights)[0]
        actor = reopener if command == "reopen" else rng.choice(actors)
        outcomes.append(
            attempt(app, orders.worker, seq, command, actor, rng.choice(orders.log_ids))
        )
    return outcomes


def _take_race(app: ContactLogApp, orders: Orders, start: Barrier) -> list[Outcome]:
    (actor,) = [app.actor(staff_id) for staff_id in orders.actors]
    outcomes = []
    for seq, log_id in enumerate(orders.log_ids):
        start.wait(timeout=TIMEOUT)
        outcomes.append(attempt(app, orders.worker, seq, "take", actor, log_id))
    return outcomes


def orders_for_random_race(
    path: Path, crew: Crew, log_ids: Sequence[str], *, workers: int, ops: int, seed: int
) -> list[Orders]:
    """Worker ``i`` acts as one office admin and one school admin (the latter also reopens)."""
    office, school = crew.office_admins, crew.school_admins
    return [
        Orders(
            str(path),
            i,
            seed,
            (office[i % len(office)], school[i % len(school)]),
            school[i % len(school)],
            tuple(log_ids),
            ops,
        )
        for i in range(workers)
    ]


def orders_for_take_race(
    path: Path, racers: Sequence[str], log_ids: Sequence[str], *, seed: int
) -> list[Orders]:
    """Racer ``i`` is staff member ``racers[i]`` and takes every log in turn."""
    return [
        Orders(str(path), i, seed, (staff_id,), staff_id, tuple(log_ids), len(log_ids))
        for i, staff_id in enumerate(racers)
    ]


def check_races(
    app: ContactLogApp, viewer: Actor, initial: dict[str, int], outcomes: Sequence[Outcome]
) -> None:
    """After a race: errors were all expected, and every log's successes form one chain.

    For each log the successful changes produced versions ``v0+1, v0+2, ...``
    each exactly once (no lost update, no version written twice), each is the
    event of that version in the trail, and the trail replays to the stored log.
    """
    unexpected = [o for o in outcomes if not o.ok and not o.allowed_failure()]
    assert not unexpected, "unexpected errors:\n" + "\n".join(map(repr, unexpected[:20]))
    successes: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.ok:
            successes[outcome.log_id].append(outcome)
    for log_id, start in initial.items():
        stored, events = check_log(app, viewer, log_id)
        wins = sorted(successes[log_id], key=lambda o: o.version or 0)
        versions = [o.version for o in wins]
        assert versions == list(range(start + 1, start + 1 + len(wins))), (
            f"log {log_id}: versions {versions} after {start}"
        )
        assert stored.version == start + len(wins), (
            f"log {log_id}: stored {stored.version}, {len(wins)} wins"
        )
        for win in wins:
            _assert_is_event(win, events[(win.version or 0) - 1])


def _assert_is_event(win: Outcome, event: AuditEvent) -> None:
    after: dict[str, Any] = event.after or {}
    assert (event.command, event.actor) == (win.command, win.actor), (win, event)
    assert (after["status"], after["owner"]) == (win.status, win.owner), (win, event)


def check_take_races(
    app: ContactLogApp, viewer: Actor, initial: dict[str, int], outcomes: Sequence[Outcome]
) -> Counter[str]:
    """Each log had exactly one winner; every loser was told the winner holds it.

    Returns how many races each staff member won.
    """
    by_log: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_log[outcome.log_id].append(outcome)
    winners: Counter[str] = Counter()
    for log_id, start in initial.items():
        racers = by_log[log_id]
        wins = [o for o in racers if o.ok]
        assert len(wins) == 1, f"log {log_id}: {len(wins)} winners among {racers}"
        (win,) = wins
        winner = app.staff.get(viewer, win.actor)
        for loser in (o for o in racers if not o.ok):
            assert loser.error in {"LockedByOther", "ConcurrencyConflict"}, loser
            if loser.error == "LockedByOther":
                assert (loser.named_owner, loser.named_owner_name) == (winner.id, winner.name), (
                    loser
                )
        stored, _ = check_log(app, viewer, log_id)
        assert (stored.owner, stored.version) == (winner.id, start + 1), stored
        winners[winner.name] += 1
    return winners


# --- the scenarios, as the full and the small test modules run them ------------------------


def race_at_random(tmp: Path, *, workers: int, logs: int, ops: int, seed: int) -> list[Outcome]:
    """``workers`` processes run ``ops`` random commands each on ``logs`` shared logs; check all."""
    print(f"seed={seed} workers={workers} logs={logs} ops={ops}")
    path = tmp / "contactlog.db"
    app = ContactLogApp(SqliteStore(path))
    try:
        crew = hire_crew(app, office_admins=4, school_admins=3)
        initial = seed_logs(app, crew, logs, rng_for(seed, "parent"), open_share=0.6)
        outcomes = run_workers(
            random_race_worker,
            orders_for_random_race(path, crew, list(initial), workers=workers, ops=ops, seed=seed),
        )
        check_races(app, app.actor(crew.office_admins[0]), initial, outcomes)
    finally:
        app.close()
    print(summary(outcomes))
    return outcomes


def race_to_take(tmp: Path, *, racers: int, logs: int, seed: int) -> Counter[str]:
    """``racers`` processes, released together by a barrier, all take each of ``logs`` open logs."""
    print(f"seed={seed} racers={racers} logs={logs}")
    path = tmp / "contactlog.db"
    app = ContactLogApp(SqliteStore(path))
    try:
        crew = hire_crew(app, office_admins=(racers + 1) // 2, school_admins=racers // 2)
        initial = seed_logs(app, crew, logs, rng_for(seed, "parent"))
        outcomes = run_workers(
            take_race_worker, orders_for_take_race(path, crew.everyone, list(initial), seed=seed)
        )
        winners = check_take_races(app, app.actor(crew.office_admins[0]), initial, outcomes)
    finally:
        app.close()
    print(summary(outcomes))
    print("wins by racer:", dict(winners))
    return winners


def open_fresh_files(tmp: Path, *, racers: int, files: int) -> list[Outcome]:
    """``racers`` processes open a store on each of ``files`` new files, all at the same moment."""
    paths = tuple(str(tmp / f"new-{i}.db") for i in range(files))
    orders = [Orders(str(tmp), i, 0, (), "", (), 0, fresh_files=paths) for i in range(racers)]
    outcomes = run_workers(fresh_file_worker, orders)
    print(summary(outcomes))
    return outcomes
