"""The lead state machine, driving a real SQLite file side by side with the reference model.

The SQLite store ages leads set-based in SQL (the sweep and every view); the
machine holds it, step by step, to the same reference as the memory store.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.testing import LeadMachine
from tests.support.sizes import examples

pytestmark = pytest.mark.stateful


class SqliteLeadMachine(LeadMachine):
    def make_store(self) -> SqliteStore:
        self.folder = tempfile.mkdtemp(prefix="contactlog-leads-")
        return SqliteStore(os.path.join(self.folder, "contactlog.db"))

    def teardown(self) -> None:
        super().teardown()
        shutil.rmtree(self.folder, ignore_errors=True)


SqliteLeadMachine.TestCase.settings = settings(
    max_examples=examples(dev=15, ci=20, long=100, torture=1_000),
    stateful_step_count=30,
    deadline=None,
)
TestLeadsOnSqliteFile = SqliteLeadMachine.TestCase
