"""The memory store's sweep: each move is the domain's ``sweep_change``, recorded as every change is."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.domain.leads.aging import aging_cutoffs
from contactlog_core.domain.leads.commands import sweep_change
from contactlog_core.domain.shared.audit import audit_event
from tests.support.lead_seeds import make_lead

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


def test_the_sweep_moves_leads_by_sweep_change_and_records_them_under_the_apps_ids() -> None:
    counter = itertools.count(1)
    store = MemoryStore()
    clock = cl.ManualClock(START)
    app = cl.ContactLogApp(store, clock=clock, ids=lambda: f"id-{next(counter):04d}")
    org = app.organisations.create("Northfield", timezone="Europe/London")
    ann = app.actor(app.staff.add(org.id, name="Ann", role="office_admin").id)
    leads = [app.leads.add(ann, name=f"Prospect {n}") for n in range(3)]
    app.leads.schedule(ann, leads[2].id, at=START.add(days=30))
    clock.advance(days=9)

    with store.unit_of_work(read_only=True) as uow:
        before = {lead.id: uow.leads.get(org.id, lead.id) for lead in leads}
    issued_before = next(counter)
    report = app.leads.sweep()

    cutoffs = aging_cutoffs(clock.now(), org.timezone, org.aging)
    expected = {i: sweep_change(lead, cutoffs) for i, lead in before.items()}
    moved = {i: change for i, change in expected.items() if change is not None}
    assert set(moved) == {leads[0].id, leads[1].id}  # the scheduled one stays
    assert report.changed == 2
    events = [e for e in app.audit.events(ann, limit=100) if e.command == "age"]
    assert len(events) == 2
    for event in events:
        assert event.id.startswith("id-")
        assert int(event.id[3:]) > issued_before
        assert event == audit_event(
            moved[event.entity_id], event_id=event.id, org_id=org.id, entity="lead"
        )
    with store.unit_of_work(read_only=True) as uow:
        for lead_id, change in moved.items():
            assert uow.leads.get(org.id, lead_id) == change.after


@pytest.mark.parametrize(("written_days_after_the_sweep", "changed"), [(1, 0), (-1, 1)])
def test_a_sweep_leaves_a_lead_written_after_its_instant_alone(
    written_days_after_the_sweep: int, changed: int
) -> None:
    # Stored NOT_SCHEDULED though untouched for ten days: stale, as a sweep finds it.
    store = MemoryStore()
    clock = cl.ManualClock(START.add(days=10))
    app = cl.ContactLogApp(store, clock=clock)
    org = app.organisations.create("Northfield")
    written = clock.now().add(days=written_days_after_the_sweep)
    stale = attrs.evolve(make_lead(), org_id=org.id, last_touch_at=START, updated_at=written)
    with store.unit_of_work() as uow:
        uow.leads.add(stale)

    assert app.leads.sweep().changed == changed
    with store.unit_of_work(read_only=True) as uow:
        assert (uow.leads.get(org.id, stale.id) == stale) is (changed == 0)
