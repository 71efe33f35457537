"""The contract suite against ``MemoryStore``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.testing.contract import (
    AppContract,
    InteractionContract,
    LeadContract,
    QueryContract,
    ReminderContract,
    StoreContract,
)


class TestMemoryStore(
    StoreContract, AppContract, QueryContract, LeadContract, InteractionContract, ReminderContract
):
    @pytest.fixture
    def store(self) -> Iterator[MemoryStore]:
        store = MemoryStore()
        yield store
        store.close()
