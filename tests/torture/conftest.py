"""Sizes for the torture runs, set by flags: ``nox -s torture -- --examples 50000``.

The SQLite races and crashes: ``-- --workers 8 --logs 200 --ops 300 --kills 50``;
``--seed N`` replays a run's random choices (the seed is printed with each run).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--examples", default="20000", help="state-machine examples per long run")
    parser.addoption("--workers", default="8", help="processes racing on one SQLite file")
    parser.addoption("--logs", default="200", help="logs the racing processes share")
    parser.addoption("--ops", default="300", help="operations per racing process")
    parser.addoption("--kills", default="50", help="times the SQLite writer is killed")
    parser.addoption("--seed", default=None, help="seed of the races' and kills' random choices")
