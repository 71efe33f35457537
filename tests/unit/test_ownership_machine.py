"""The ownership state machine on the memory store: 2,000 examples under the ``ci`` profile."""

from __future__ import annotations

import os

from hypothesis import settings

from contactlog_core.testing import OwnershipMachine

EXAMPLES = {"ci": 2_000, "dev": 100, "torture": 20_000}

OwnershipMachine.TestCase.settings = settings(
    max_examples=EXAMPLES[os.environ.get("HYPOTHESIS_PROFILE", "dev")],
    stateful_step_count=30,
    deadline=None,
)
TestOwnershipOnMemoryStore = OwnershipMachine.TestCase
