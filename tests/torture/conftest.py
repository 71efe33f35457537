"""Sizes for the torture runs, set by flags: ``nox -s torture -- --examples 50000``."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--examples", default="20000", help="state-machine examples per long run")
