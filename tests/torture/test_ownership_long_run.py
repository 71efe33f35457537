"""The ownership machine on the memory store, run long (``nox -s torture``).

Size by ``--examples N`` (default: the ``torture`` profile's 20,000).
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from contactlog_core.testing import OwnershipMachine


def test_ownership_rules_hold_over_a_long_run(examples: int) -> None:
    run_state_machine_as_test(
        OwnershipMachine,
        settings=settings(max_examples=examples, stateful_step_count=50, deadline=None),
    )


@pytest.fixture
def examples(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--examples"))
