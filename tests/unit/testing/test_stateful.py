"""The ownership state machine on the memory store: 2,000 examples under ``nox -s long``."""

from __future__ import annotations

import pytest
from hypothesis import settings

from contactlog_core.testing import OwnershipMachine
from tests.support.sizes import examples

pytestmark = pytest.mark.stateful

OwnershipMachine.TestCase.settings = settings(
    max_examples=examples(dev=30, ci=200, long=2_000, torture=20_000),
    stateful_step_count=30,
    deadline=None,
)
TestOwnershipOnMemoryStore = OwnershipMachine.TestCase
