"""The ownership state machine, driving a real SQLite file side by side with the reference model."""

from __future__ import annotations

import os
import shutil
import tempfile

from hypothesis import settings

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.testing import OwnershipMachine

EXAMPLES = {"ci": 300, "dev": 30, "torture": 3_000}


class SqliteOwnershipMachine(OwnershipMachine):
    def make_store(self) -> SqliteStore:
        self.folder = tempfile.mkdtemp(prefix="contactlog-machine-")
        return SqliteStore(os.path.join(self.folder, "contactlog.db"))

    def teardown(self) -> None:
        super().teardown()
        shutil.rmtree(self.folder, ignore_errors=True)


SqliteOwnershipMachine.TestCase.settings = settings(
    max_examples=EXAMPLES[os.environ.get("HYPOTHESIS_PROFILE", "dev")],
    stateful_step_count=30,
    deadline=None,
)
TestOwnershipOnSqliteFile = SqliteOwnershipMachine.TestCase
