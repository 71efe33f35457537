"""The seed scenario end to end through the public API, on the memory store."""

from __future__ import annotations

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.adapters.memory import MemoryStore


def test_seed_scenario_hands_the_lock_round_as_the_table_says() -> None:
    clock = cl.ManualClock(pendulum.datetime(2026, 11, 2, 9, tz="UTC"))
    app = cl.ContactLogApp(MemoryStore(), clock=clock)
    org = app.organisations.create("Northfield Primary", timezone="Europe/London")
    alice = app.actor(app.staff.add(org.id, name="Alice Smith", role="office_admin").id)
    bob = app.actor(app.staff.add(org.id, name="Bob Jones", role="office_admin").id)
    head = app.actor(app.staff.add(org.id, name="Hana Patel", role="school_admin").id)

    log = app.logs.record(alice, subject="Parent called about the bus")
    with pytest.raises(cl.LockedByOther) as refused:
        app.logs.take(bob, log.id)
    assert refused.value.owner == alice.staff_id
    assert refused.value.owner_name == "Alice Smith"

    log = app.logs.surrender(alice, log.id)
    log = app.logs.take(bob, log.id)
    log = app.logs.force_take(head, log.id)
    log = app.logs.complete(head, log.id)

    assert log.status is cl.LogStatus.COMPLETED
    assert log.completed_by == head.staff_id
    assert log.version == 5
