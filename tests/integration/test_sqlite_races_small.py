"""Processes racing for the same logs in one SQLite file: the small version.

The full-size runs are ``tests/torture/test_sqlite_races.py`` (``nox -s torture``);
both run ``tests/support/sqlite_races.py``. The seed is printed;
``CONTACTLOG_TORTURE_SEED=N`` replays a run's random choices.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from contactlog_core.adapters.sqlite import SqliteStore
from tests.support import lead_races
from tests.support import sqlite_races as races
from tests.support import sqlite_torture as torture

WORKERS, LOGS, OPS = 4, 40, 60


def test_racing_staff_never_lose_an_update_nor_break_a_lock(tmp_path: Path) -> None:
    outcomes = races.race_at_random(
        tmp_path, workers=WORKERS, logs=LOGS, ops=OPS, seed=torture.base_seed()
    )
    assert len(outcomes) == WORKERS * OPS


@pytest.mark.parametrize("racers", [2, 4])
def test_of_two_simultaneous_takers_exactly_one_wins(tmp_path: Path, racers: int) -> None:
    winners = races.race_to_take(tmp_path, racers=racers, logs=20, seed=torture.base_seed())
    assert winners.total() == 20


def test_opening_a_new_file_waits_while_another_process_is_writing_it(tmp_path: Path) -> None:
    # What two processes creating the same file at once run into: the first one's write
    # lock on the not-yet-WAL file. SQLite does not call the busy handler for this
    # lock, so the store must wait for it itself.
    path = tmp_path / "contactlog.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    commit_soon = threading.Timer(0.3, other.execute, ("COMMIT",))
    commit_soon.start()
    try:
        store = SqliteStore(path, busy_timeout=10)
    finally:
        commit_soon.join()
        other.close()
    store.close()


@pytest.mark.parametrize("racers", [2, 3])
def test_of_simultaneous_claimers_exactly_one_wins_while_the_sweep_runs(
    tmp_path: Path, racers: int
) -> None:
    winners = lead_races.race_to_claim(tmp_path, racers=racers, leads=12, seed=torture.base_seed())
    assert winners.total() == 12
