"""A SQLite writer killed with SIGKILL at random moments: the small version (5 kills).

The full-size run is ``tests/torture/test_sqlite_crashes.py`` (``nox -s torture``);
both run ``tests/support/sqlite_crash.py``. The seed is printed;
``CONTACTLOG_TORTURE_SEED=N`` replays a run's random choices.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import sqlite_crash as crash
from tests.support import sqlite_torture as torture

KILLS = 5


@pytest.mark.slow
def test_a_killed_writer_loses_no_committed_change_and_leaves_no_partial_one(
    tmp_path: Path,
) -> None:
    seed = torture.base_seed()
    print(f"seed={seed} kills={KILLS}")
    figures = crash.survive_kills(tmp_path, kills=KILLS, seed=seed)
    print(figures)
    assert figures.kills == KILLS
