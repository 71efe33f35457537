"""Many processes racing for the same logs in one SQLite file (``nox -s torture``).

Sizes by ``--workers``, ``--logs`` and ``--ops``; ``--seed N`` replays a run's
random choices (the seed is printed). The small version of these runs in
``tests/integration/test_sqlite_races_small.py``; both run ``tests/support/sqlite_races.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import lead_races
from tests.support import sqlite_races as races
from tests.support import sqlite_torture as torture


def test_racing_staff_never_lose_an_update_nor_break_a_lock(
    tmp_path: Path, workers: int, logs: int, ops: int, seed: int
) -> None:
    outcomes = races.race_at_random(tmp_path, workers=workers, logs=logs, ops=ops, seed=seed)
    assert len(outcomes) == workers * ops


@pytest.mark.parametrize("racers", [2, 3, 5, 8])
def test_of_two_simultaneous_takers_exactly_one_wins(
    tmp_path: Path, racers: int, seed: int
) -> None:
    winners = races.race_to_take(tmp_path, racers=racers, logs=20, seed=seed)
    assert winners.total() == 20


def test_of_many_claimers_exactly_one_wins_while_the_sweep_runs(
    tmp_path: Path, workers: int, logs: int, seed: int
) -> None:
    winners = lead_races.race_to_claim(tmp_path, racers=workers, leads=logs, seed=seed)
    assert winners.total() == logs


def test_staff_opening_a_new_file_at_the_same_time_all_get_a_working_store(
    tmp_path: Path,
) -> None:
    # As of 7b7fb2c, 4 to 26 of the 800 opens fail with StoreUnavailable(retryable=True).
    outcomes = races.open_fresh_files(tmp_path, racers=8, files=100)
    failed = [o for o in outcomes if not o.ok]
    assert not failed, f"{len(failed)} of {len(outcomes)} opens failed, first: {failed[0].message}"


@pytest.fixture
def workers(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--workers"))


@pytest.fixture
def logs(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--logs"))


@pytest.fixture
def ops(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--ops"))


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    given = request.config.getoption("--seed")
    return torture.base_seed(None if given is None else int(given))
