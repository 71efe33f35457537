"""The contract suite against ``SqliteStore``, on a real file and in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.testing.contract import (
    AppContract,
    InteractionContract,
    LeadContract,
    QueryContract,
    ReminderContract,
    StoreContract,
)


class TestSqliteFileStore(
    StoreContract, AppContract, QueryContract, LeadContract, InteractionContract, ReminderContract
):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteStore]:
        store = SqliteStore(tmp_path / "contactlog.db")
        yield store
        store.close()


class TestSqliteInMemoryStore(
    StoreContract, AppContract, QueryContract, LeadContract, InteractionContract, ReminderContract
):
    @pytest.fixture
    def store(self) -> Iterator[SqliteStore]:
        store = SqliteStore(":memory:")
        yield store
        store.close()
