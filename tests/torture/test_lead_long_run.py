"""The lead machine on the memory store, run long (``nox -s torture``).

Size by ``--examples N`` (default 20,000): each machine below runs a tenth
of N, because a lead example (50 steps, all seven lists asked after every
step) is some fifteen times the work of an ownership example, about half a
second. The default is half an hour in all. The second machine counts
business days in Sydney, across its clocks going back at Easter.
"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from contactlog_core import AgingPolicy
from contactlog_core.testing import LeadMachine


class EveryListEveryStep(LeadMachine):
    views_per_check = 7


class BusinessDaysInSydney(EveryListEveryStep):
    def make_timezone(self) -> str:
        return "Australia/Sydney"

    def make_aging(self) -> AgingPolicy:
        # Sydney's clocks go back on 5 April 2026; Good Friday and Easter Monday are days off.
        return AgingPolicy(days="business", holidays=[dt.date(2026, 4, 3), dt.date(2026, 4, 6)])

    def make_start(self) -> pendulum.DateTime:
        return pendulum.datetime(2026, 3, 30, 23, tz="UTC")


@pytest.mark.parametrize("machine", [EveryListEveryStep, BusinessDaysInSydney])
def test_lead_rules_and_aging_hold_over_a_long_run(
    machine: type[LeadMachine], examples: int
) -> None:
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=max(1, examples // 10), stateful_step_count=50, deadline=None
        ),
    )


@pytest.fixture
def examples(request: pytest.FixtureRequest) -> int:
    return int(request.config.getoption("--examples"))
