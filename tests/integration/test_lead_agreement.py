"""Differential test: the SQL sweep and the SQL views give exactly what ``age()`` gives.

Random leads (facts and the status they were last written with, even by a
clock that has since gone back), random aging policies, time zones with
their DST changes, random sweep instants and batch sizes. The SQLite store
sweeps set-based in SQL; the memory store in Python; both must match the
pure rule lead for lead, write the same audit snapshots (SQLite's, built in
SQL, byte for byte as the store writes any other event: the lead after, and
what differed before), and show the
same view pages before and after the sweep.
"""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import DateTime

import contactlog_core as cl
from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.audit import audit_params, encode_json
from contactlog_core.domain.leads.aging import age, aging_cutoffs
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadId, LeadStatus, TouchKind
from contactlog_core.domain.leads.queries import LeadQuery
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.shared.paging import SortField
from contactlog_core.ports import Store
from tests.support.lead_seeds import aging_policies, instants, zones
from tests.support.sizes import examples

ORG = OrgId("org")
PEOPLE = (StaffId("ann"), StaffId("bea"), StaffId("cy"))
NAMES = ("Acme Ltd", "acme works", "Émile & Co", "Zed", "Ölwerk GmbH", "zed two")
EPOCH = pendulum.datetime(2000, 1, 1, tz="UTC")
# Free text as a snapshot holds it: quotes, braces and backslashes at either end, line
# breaks, accents, emoji (anything a command takes: no NUL, no lone surrogate).
FREE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6
)
AWKWARD = st.sampled_from(["", "}", "{", '"', "\\", '{"a":1}', "x}}", "\u00e9\n\t", "\U0001f600"])


def _offset(base: DateTime, hours: int, micros: int) -> DateTime:
    return base.add(hours=hours, microseconds=micros)


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, cl.AgingPolicy, DateTime, list[Lead]]:
    zone = draw(zones())
    policy = draw(aging_policies())
    now = draw(instants(zone))
    # Facts within a few weeks either side of now, so every status turns up.
    hours = st.integers(-24 * 30, 24 * 3)
    micros = st.integers(0, 3_599_999_999)
    leads = []
    for n in range(draw(st.integers(1, 25))):
        touched = _offset(now, draw(hours), draw(micros))
        follow_up = draw(st.none() | st.tuples(hours, micros).map(lambda h: _offset(now, *h)))
        archived = draw(st.sampled_from([None, None, None, ArchiveReason.LOST]))
        # The last write: maybe after now, or at the sweep's very instant.
        written = draw(st.just(now) | st.tuples(hours, micros).map(lambda h: _offset(now, *h)))
        lead = Lead(
            id=LeadId(f"lead{n:03d}"),
            org_id=ORG,
            name=draw(st.sampled_from(NAMES)),
            contact=draw(FREE_TEXT | AWKWARD),
            owner=draw(st.sampled_from(PEOPLE)),
            follow_up_at=follow_up,
            last_touch_at=touched,
            last_touch_by=PEOPLE[0],
            last_touch_kind=TouchKind.CALL,
            archived_reason=archived,
            archive_note=draw(FREE_TEXT | AWKWARD),
            status=LeadStatus.NOT_SCHEDULED,
            created_by=PEOPLE[0],
            created_at=EPOCH,
            updated_at=written,
            version=draw(st.integers(1, 5)),
        )
        # Aged as the policy of the time had it: maybe another (``set_aging`` since).
        status = age(lead, written, zone, draw(st.just(policy) | aging_policies()))
        # Now and then an available lead still has its owner: the sweep only clears it.
        bank = status is LeadStatus.AVAILABLE and draw(st.integers(0, 3)) > 0
        owner = None if bank else lead.owner
        leads.append(attrs.evolve(lead, status=status, owner=owner))
    return zone, policy, now, leads


def _seed(store: Store, zone: str, policy: cl.AgingPolicy, leads: list[Lead]) -> None:
    with store.unit_of_work() as uow:
        uow.organisations.add(Organisation(ORG, "Northfield", zone, EPOCH, aging=policy))
        for i, person in enumerate(PEOPLE):
            uow.staff.add(Staff(person, ORG, f"Person {i}", "office_admin", EPOCH))
        for lead in leads:
            uow.leads.add(lead)


def _app(store: Store, now: DateTime) -> cl.ContactLogApp:
    counter = itertools.count(1)
    clock = cl.ManualClock(now)
    return cl.ContactLogApp(store, clock=clock, ids=lambda: f"id{next(counter):05d}")


def _stored(store: Store, leads: list[Lead]) -> list[Lead]:
    with store.unit_of_work(read_only=True) as uow:
        return [uow.leads.get(ORG, lead.id) for lead in leads]


def _views(store: Store, zone: str, policy: cl.AgingPolicy, now: DateTime) -> list[Any]:
    cutoffs = aging_cutoffs(now, zone, policy)
    pages = []
    with store.unit_of_work(read_only=True) as uow:
        for view, owner, sort in itertools.product(
            cl.LeadView, (None, PEOPLE[0]), (cl.LeadSort.NAME, cl.LeadSort.STATUS)
        ):
            query = LeadQuery(
                org_id=ORG,
                view=view,
                cutoffs=cutoffs,
                owner=owner,
                sort=(SortField(sort, descending=owner is None),),
                per_page=100,
            )
            pages.append(uow.leads.page(query))
    return pages


def _shown(pages: list[Any]) -> list[Any]:
    # What a person sees of each row; the sweep itself bumps versions and update times.
    return [
        (page.total, [(r.id, r.status, r.cue, r.owner, r.owner_name) for r in page.items])
        for page in pages
    ]


def _snapshot_texts(sqlite: SqliteStore, memory: MemoryStore) -> tuple[list[Any], list[Any]]:
    """The sweep's snapshots as SQLite stored them, and the memory store's as SQLite writes any."""
    rows = sqlite._connection().execute(
        "SELECT entity_id, before, before_changes, after FROM audit_events WHERE command = 'age'"
    )
    with memory.unit_of_work(read_only=True) as uow:
        events = [e for e in uow.audit.events(ORG, limit=1000) if e.command == "age"]
    # What the store writes for each: entity_id, before, before_changes and after are at
    # positions 3, 7, 10 and 8 of INSERT_AUDIT_EVENT's parameters.
    written = [audit_params(e, encode_json) for e in events]
    return sorted(map(tuple, rows)), sorted((e[3], e[7], e[10], e[8]) for e in written)


def _audit(store: Store) -> list[tuple[Any, ...]]:
    with store.unit_of_work(read_only=True) as uow:
        events = uow.audit.events(ORG, limit=1000)
    return sorted((e.entity_id, e.command, e.actor, e.at, e.before, e.after) for e in events)


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(histories(), st.integers(1, 7))
def test_the_sql_sweep_and_views_equal_the_pure_rule(
    history: tuple[str, cl.AgingPolicy, DateTime, list[Lead]], batch_size: int
) -> None:
    zone, policy, now, leads = history
    memory, sqlite = MemoryStore(), SqliteStore(":memory:")
    stores: list[Store] = [memory, sqlite]
    for store in stores:
        _seed(store, zone, policy, leads)
    before = [_views(store, zone, policy, now) for store in stores]
    assert before[0] == before[1]
    reports = [_app(store, now).leads.sweep(batch_size=batch_size) for store in stores]
    assert reports[0] == reports[1]

    expected = []
    for lead in leads:
        status = age(lead, now, zone, policy)
        owner = None if status is LeadStatus.AVAILABLE else lead.owner
        # A lead written after the sweep's instant is newer than the sweep: left alone.
        moved = (status, owner) != (lead.status, lead.owner) and lead.updated_at <= now
        if not moved:
            status, owner = lead.status, lead.owner
        expected.append(
            attrs.evolve(
                lead,
                status=status,
                owner=owner,
                version=lead.version + moved,
                updated_at=now if moved else lead.updated_at,
            )
        )
    for store in stores:
        assert _stored(store, leads) == expected
    assert reports[0].changed == sum(a != b for a, b in zip(leads, expected, strict=True))
    assert _audit(stores[0]) == _audit(stores[1])
    stored, written = _snapshot_texts(sqlite, memory)
    assert stored == written
    # The views showed the aged statuses before the sweep wrote them: nothing moves.
    after = [_shown(_views(store, zone, policy, now)) for store in stores]
    assert after == [_shown(before[0]), _shown(before[0])]
    again = [_app(store, now).leads.sweep(batch_size=batch_size) for store in stores]
    assert [report.changed for report in again] == [0, 0]
    for store in stores:
        store.close()
