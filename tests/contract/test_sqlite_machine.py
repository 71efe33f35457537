"""The ownership state machine, driving a real SQLite file side by side with the reference model."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.testing import OwnershipMachine
from tests.support.sizes import examples

pytestmark = pytest.mark.stateful


class SqliteOwnershipMachine(OwnershipMachine):
    def make_store(self) -> SqliteStore:
        self.folder = tempfile.mkdtemp(prefix="contactlog-machine-")
        return SqliteStore(os.path.join(self.folder, "contactlog.db"))

    def teardown(self) -> None:
        super().teardown()
        shutil.rmtree(self.folder, ignore_errors=True)


SqliteOwnershipMachine.TestCase.settings = settings(
    max_examples=examples(dev=30, ci=30, long=300, torture=3_000),
    stateful_step_count=30,
    deadline=None,
)
TestOwnershipOnSqliteFile = SqliteOwnershipMachine.TestCase
