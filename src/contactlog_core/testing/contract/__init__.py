"""The adapter contract suite: every store is held to these tests.

Subclass each contract in your own test module and supply one fixture,
``store``, that yields a fresh, empty store (and closes it afterwards)::

    import pytest
    from contactlog_core.testing.contract import (
        AppContract, InteractionContract, LeadContract, QueryContract, StoreContract,
    )

    class TestMyStore(
        StoreContract, AppContract, QueryContract, LeadContract, InteractionContract
    ):
        @pytest.fixture
        def store(self, tmp_path):
            store = MyStore(tmp_path / "x")
            yield store
            store.close()

The classes are not named ``Test*``, so pytest collects them only through
your subclasses.
"""

from contactlog_core.testing.contract.app_contract import AppContract
from contactlog_core.testing.contract.interaction_contract import InteractionContract
from contactlog_core.testing.contract.lead_contract import LeadContract
from contactlog_core.testing.contract.query_contract import QueryContract
from contactlog_core.testing.contract.reminder_contract import ReminderContract
from contactlog_core.testing.contract.store_contract import StoreContract

__all__ = [
    "AppContract",
    "InteractionContract",
    "LeadContract",
    "QueryContract",
    "ReminderContract",
    "StoreContract",
]
