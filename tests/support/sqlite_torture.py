"""What the SQLite torture tests share: set-up, outcomes, worker processes, trail replay.

The full-size tests in ``tests/torture`` and the small ones in
``tests/integration`` import this module (and ``sqlite_races``,
``sqlite_crash``) as ``tests.support.*``, found from the repository root that
pytest puts on ``sys.path``. Worker processes are started with the "spawn"
method and inherit that ``sys.path``, so what they run must be module-level
functions and classes of these modules.
The checks read the file through the library's public API; ``sqlite_crash``
adds a few raw SQL checks of its own.
"""

from __future__ import annotations

import os
import queue
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from multiprocessing import get_context
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import attrs

from contactlog_core import Actor, ContactLog, ContactLogApp, ContactLogError, LogStatus
from contactlog_core.application.audit import MAX_EVENTS
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.errors import StoreUnavailable
from contactlog_core.serialization import structure

SPAWN = get_context("spawn")
# Generous: spawned interpreters on two busy cores take seconds to start.
TIMEOUT = 600.0
SEED_VARIABLE = "CONTACTLOG_TORTURE_SEED"

# What a contested command may fail with; anything else fails the test.
CONTESTED = frozenset({"LockedByOther", "InvalidTransition", "ConcurrencyConflict"})


def base_seed(explicit: int | None = None) -> int:
    """The run's seed: given, else from ``$CONTACTLOG_TORTURE_SEED``, else a fresh one."""
    if explicit is not None:
        return explicit
    if os.environ.get(SEED_VARIABLE):
        return int(os.environ[SEED_VARIABLE])
    return random.SystemRandom().randrange(2**32)


def rng_for(seed: int, who: str) -> random.Random:
    """A reproducible random stream for one worker (or the parent) of a seeded run."""
    return random.Random(f"{seed}:{who}")


# --- the people and logs the parent sets up ------------------------------------------------


@attrs.frozen
class Crew:
    """One organisation's staff: ids of office admins and school admins (who outrank them)."""

    org_id: str
    office_admins: tuple[str, ...]
    school_admins: tuple[str, ...]

    @property
    def everyone(self) -> tuple[str, ...]:
        return self.office_admins + self.school_admins


def hire_crew(app: ContactLogApp, *, office_admins: int, school_admins: int) -> Crew:
    """A school with the given numbers of office and school admins."""
    org = app.organisations.create("Northfield Primary", timezone="Europe/London")
    office = [
        app.staff.add(org.id, name=f"Office Admin {i}", role="office_admin")
        for i in range(office_admins)
    ]
    school = [
        app.staff.add(org.id, name=f"School Admin {i}", role="school_admin")
        for i in range(school_admins)
    ]
    return Crew(org.id, tuple(s.id for s in office), tuple(s.id for s in school))


def seed_logs(
    app: ContactLogApp, crew: Crew, count: int, rng: random.Random, *, open_share: float = 1.0
) -> dict[str, int]:
    """``count`` logs, each recorded by a random staff member; version by id.

    ``open_share`` of them are surrendered (``OPEN``); the rest are split between
    ``IN_PROGRESS`` (left with their creator) and ``COMPLETED``.
    """
    versions = {}
    for i in range(count):
        creator = app.actor(rng.choice(crew.everyone))
        log = app.logs.record(creator, subject=f"Parent called about the bus ({i})")
        roll = rng.random()
        if roll < open_share:
            log = app.logs.surrender(creator, log.id)
        elif roll < open_share + (1 - open_share) / 2:
            log = app.logs.complete(creator, log.id)
        versions[log.id] = log.version
    return versions


# --- one call and what came of it ----------------------------------------------------------


@attrs.frozen
class Outcome:
    """One command a worker ran: the version it produced, or what it raised."""

    worker: int
    seq: int
    command: str
    log_id: str
    actor: str
    version: int | None = None
    status: str | None = None
    owner: str | None = None
    error: str | None = None
    error_module: str = ""
    library_error: bool = True
    retryable: bool = False
    named_owner: str | None = None
    named_owner_name: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    def allowed_failure(self) -> bool:
        """A loser's error: the lock, the status, a conflict or a busy store, nothing else."""
        if not self.library_error:
            return False
        return self.error in CONTESTED or (self.error == "StoreUnavailable" and self.retryable)


def attempt(
    app: ContactLogApp, worker: int, seq: int, command: str, actor: Actor, log_id: str
) -> Outcome:
    """Run ``app.logs.<command>(actor, log_id)`` and record the outcome, whatever it is."""
    run: Callable[[Actor, str], ContactLog] = getattr(app.logs, command)
    return outcome_of(
        Outcome(worker, seq, command, log_id, actor.staff_id), partial(run, actor, log_id)
    )


def outcome_of(base: Outcome, call: Callable[[], ContactLog | None]) -> Outcome:
    """``base`` completed with what ``call`` returned (a log, or nothing) or raised."""
    try:
        log = call()
    except ContactLogError as e:
        return attrs.evolve(
            base,
            error=type(e).__name__,
            error_module=type(e).__module__,
            retryable=isinstance(e, StoreUnavailable) and e.retryable,
            named_owner=getattr(e, "owner", None),
            named_owner_name=getattr(e, "owner_name", ""),
            message=str(e),
        )
    except Exception as e:  # reported, not swallowed: the parent fails the test on it
        return attrs.evolve(
            base,
            error=type(e).__name__,
            error_module=type(e).__module__,
            library_error=False,
            message=repr(e),
        )
    if log is None:
        return base
    return attrs.evolve(base, version=log.version, status=str(log.status), owner=log.owner)


# --- worker processes ----------------------------------------------------------------------


@attrs.frozen
class Orders:
    """What one worker process does: act as ``actors`` on ``log_ids`` for ``ops`` operations."""

    path: str
    worker: int
    seed: int
    actors: tuple[str, ...]
    reopener: str
    log_ids: tuple[str, ...]
    ops: int
    fresh_files: tuple[str, ...] = ()


@attrs.frozen
class Report:
    """A worker's outcomes, or how the worker itself broke (``crash``: module.Class: message)."""

    worker: int
    outcomes: tuple[Outcome, ...] = ()
    crash: str | None = None


def describe(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}: {error!r}"


Worker = Callable[[Orders, Barrier, "Queue[Report]"], None]


def run_workers(worker: Worker, orders: Sequence[Orders]) -> list[Outcome]:
    """Start one spawned process per ``orders``, wait for every report, return all outcomes.

    A worker that crashed, died without reporting or outlived ``TIMEOUT`` fails the test.
    """
    reports: Queue[Report] = SPAWN.Queue()
    start = SPAWN.Barrier(len(orders))
    processes = [
        SPAWN.Process(target=worker, args=(o, start, reports), name=f"worker-{o.worker}")
        for o in orders
    ]
    for process in processes:
        process.start()
    try:
        collected = _collect(processes, reports, len(orders))
        for process in processes:
            process.join(timeout=TIMEOUT)
    finally:
        _stop(processes)
    crashes = [f"worker {r.worker}: {r.crash}" for r in collected if r.crash]
    assert not crashes, "workers crashed:\n" + "\n".join(crashes)
    return [outcome for r in collected for outcome in r.outcomes]


def _collect(processes: Sequence[BaseProcess], reports: Queue[Report], count: int) -> list[Report]:
    collected: list[Report] = []
    deadline = time.monotonic() + TIMEOUT
    while len(collected) < count:
        try:
            collected.append(reports.get(timeout=1.0))
        except queue.Empty:
            # A worker reports before it exits, so by now a dead one's report has come.
            crashes = [f"worker {r.worker}: {r.crash}" for r in collected if r.crash]
            failed = any(p.exitcode not in (None, 0) for p in processes)
            assert not failed, f"workers failed: {_exit_codes(processes)}; {crashes}"
            assert time.monotonic() < deadline, f"workers still running after {TIMEOUT}s"
    return collected


def _stop(processes: Iterable[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join(timeout=TIMEOUT)


def _exit_codes(processes: Iterable[BaseProcess]) -> dict[str, int | None]:
    return {p.name: p.exitcode for p in processes}


# --- checks after a run --------------------------------------------------------------------


def trail(app: ContactLogApp, viewer: Actor, log_id: str) -> list[AuditEvent]:
    """The audit events of one log, oldest first (all of them: fewer than the read limit)."""
    events = app.audit.events(viewer, entity_id=log_id, limit=MAX_EVENTS)
    assert len(events) < MAX_EVENTS, f"log {log_id} has too many events to read them all"
    return events[::-1]


def assert_lock_invariants(log: ContactLog) -> None:
    """``IN_PROGRESS`` exactly when owned; a completed log says who completed it."""
    assert (log.status is LogStatus.IN_PROGRESS) == (log.owner is not None), log
    if log.status is LogStatus.COMPLETED:
        assert log.completed_by is not None, log
        assert log.completed_at is not None, log


def check_log(
    app: ContactLogApp, viewer: Actor, log_id: str
) -> tuple[ContactLog, list[AuditEvent]]:
    """Replay one log's trail: a gap-free chain of snapshots ending at the stored log.

    Returns the stored log and its trail, oldest event first.
    """
    stored = app.logs.get(viewer, log_id)
    events = trail(app, viewer, log_id)
    assert_lock_invariants(stored)
    assert len(events) == stored.version, (
        f"log {log_id}: version {stored.version}, {len(events)} events"
    )
    assert events[0].command == "record", events[0]
    assert events[0].before is None, events[0]
    previous: ContactLog | None = None
    for number, event in enumerate(events, start=1):
        snapshot = structure(event.after, ContactLog)
        assert snapshot.version == number, (log_id, number, event)
        assert_lock_invariants(snapshot)
        if previous is not None:
            assert structure(event.before, ContactLog) == previous, (log_id, number, event)
        previous = snapshot
    assert previous == stored, f"log {log_id}: the trail's last snapshot is not the stored log"
    return stored, events


def summary(outcomes: Iterable[Outcome]) -> str:
    """Wins and losses by command: ``take: 120 won, LockedByOther 300, ...``."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        table[o.command]["won" if o.ok else o.error or "?"] += 1
    lines = []
    for command, counts in sorted(table.items()):
        lines.append(f"{command}: " + ", ".join(f"{what} {n}" for what, n in counts.most_common()))
    return "\n".join(lines)
