"""The lead state machine on the memory store (200 examples under ``long``), and proof it can fail.

The machine is only worth its time if a wrong answer makes it fail: the
last tests run it against a reference, and a store, that are wrong on
purpose and expect it to say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from contactlog_core import Actor, AgingPolicy, ContactLogError, LeadStatus
from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.testing import LeadMachine, RefLead
from tests.support.sizes import examples

LeadMachine.TestCase.settings = settings(
    max_examples=examples(dev=5, ci=20, long=200, torture=2_000),
    stateful_step_count=30,
    deadline=None,
)
TestLeadsOnMemoryStore = pytest.mark.stateful(LeadMachine.TestCase)


class BusinessDaysInNewYork(LeadMachine):
    """The same rules counted in business days, with holidays, across New York's DST change."""

    def make_timezone(self) -> str:
        return "America/New_York"

    def make_aging(self) -> AgingPolicy:
        return AgingPolicy(days="business", holidays=[dt.date(2026, 3, 9), dt.date(2026, 3, 16)])

    def make_start(self) -> pendulum.DateTime:
        return pendulum.datetime(2026, 3, 5, 14, tz="UTC")


BusinessDaysInNewYork.TestCase.settings = settings(
    max_examples=examples(dev=4, ci=20, long=50, torture=500),  # long: a quarter of the above
    stateful_step_count=30,
    deadline=None,
)
TestLeadsInBusinessDays = pytest.mark.stateful(BusinessDaysInNewYork.TestCase)


# The machine can fail -----------------------------------------------------------------------


class ForgetsThatAvailableLeadsHaveNoOwner(LeadMachine):
    """A reference that never clears the owner of an available lead."""

    def expected_owner(self, lead: RefLead) -> str | None:
        return lead.owner


class ThinksATouchDoesNotRestartTheClock(LeadMachine):
    """A reference in which logging a call leaves the lead's clock running."""

    def expected_outcome(
        self, command: str, lead: RefLead, actor: Actor, **args: Any
    ) -> RefLead | type[ContactLogError]:
        outcome = super().expected_outcome(command, lead, actor, **args)
        if command == "touch" and isinstance(outcome, RefLead):
            return attrs.evolve(outcome, last_touch_at=lead.last_touch_at)
        return outcome


class _HidesAvailableLeads:
    """A lead repository whose lists leave out available leads (the rest it passes through)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def page(self, query: Any) -> Any:
        page = self._inner.page(query)
        kept = tuple(row for row in page.items if row.status is not LeadStatus.AVAILABLE)
        return attrs.evolve(page, items=kept, total=len(kept))


class _LeadBankWithoutAvailableLeads(MemoryStore):
    def unit_of_work(self, *, read_only: bool = False) -> Any:
        uow = super().unit_of_work(read_only=read_only)
        uow.leads = _HidesAvailableLeads(uow.leads)  # type: ignore[assignment]
        return uow


class StoreWhoseLeadBankMissesAvailableLeads(LeadMachine):
    def make_store(self) -> MemoryStore:
        return _LeadBankWithoutAvailableLeads()


@pytest.mark.parametrize(
    "machine",
    [
        ForgetsThatAvailableLeadsHaveNoOwner,
        ThinksATouchDoesNotRestartTheClock,
        StoreWhoseLeadBankMissesAvailableLeads,
    ],
)
def test_the_machine_fails_when_the_reference_or_the_store_is_wrong(
    machine: type[LeadMachine],
) -> None:
    with pytest.raises(AssertionError):
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=200,
                stateful_step_count=30,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                report_multiple_bugs=False,
                print_blob=False,
            ),
        )
