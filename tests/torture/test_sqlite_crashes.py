"""A SQLite writer killed with SIGKILL at random moments, again and again (``nox -s torture``).

``--kills N`` (default 50) sets how many times; ``--seed N`` replays the random
delays and commands (the seed is printed). The small version runs in
``tests/integration/test_sqlite_crashes_small.py``; both run ``tests/support/sqlite_crash.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import sqlite_crash as crash
from tests.support import sqlite_torture as torture


def test_a_killed_writer_loses_no_committed_change_and_leaves_no_partial_one(
    tmp_path: Path, kills: int, seed: int
) -> None:
    print(f"seed={seed} kills={kills}")
    figures = crash.survive_kills(tmp_path, kills=kills, seed=seed)
    print(figures)
    assert figures.kills == kills


@pytest.fixture
def kills(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--kills"))


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    given = request.config.getoption("--seed")
    return torture.base_seed(None if given is None else int(given))
