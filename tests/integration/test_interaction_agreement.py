"""Differential test: SQLite's pages and streams of interactions are exactly the reference's.

Random interactions (many in the same second, some at the same microsecond,
names with accents and case, renamed and redacted ones, another
organisation's), random time zones with their DST changes, and random
queries: as-you-type words drawn from the interactions' own words, filters,
every sort in both directions, grouping by kind, pages. The SQLite store
(FTS5, rowids in time order) and the memory store must give what
``domain.interactions.query_rules.interaction_page`` gives, page for page.
"""

from __future__ import annotations

from collections import Counter

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.domain.interactions.commands import without_content
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.interactions.queries import InteractionQuery, InteractionSort
from contactlog_core.domain.interactions.query_rules import (
    interaction_page,
    sort_interactions,
    wanted,
)
from contactlog_core.domain.interactions.search import parse_search, searchable_words
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.shared.paging import SortField
from contactlog_core.ports import Store
from tests.support.lead_seeds import near_changes, zones
from tests.support.sizes import examples

ORG, OTHER = OrgId("org"), OrgId("other")
ANN = StaffId("ann")
EPOCH = pendulum.datetime(2000, 1, 1, tz="UTC")
WORDS = ("Invoice", "invoiced", "Élodie", "ELODIE", "réunion", "Boiler", "2231", "22", "naïve", "ß")
NAMES = ("Jane Doe", "jane", "Émile Zola", "", "zed")
CLIENTS = (ClientRef("c1", "Jane"), ClientRef("c2", "Acme"))


@st.composite
def interactions(draw: st.DrawFn) -> tuple[str, list[Interaction]]:
    zone = draw(zones())
    base = draw(near_changes(zone))
    # A few seconds, a few microseconds: ties of the second and of the instant are common.
    instants = st.builds(
        lambda s, us: base.add(seconds=s, microseconds=us),
        st.integers(-13_000, 13_000).map(lambda s: s * 7) | st.integers(0, 3),
        st.sampled_from([0, 0, 1, 999_999]),
    )
    found = []
    for n in range(draw(st.integers(1, 30))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
        redacted = n % 3 == 0 and draw(st.booleans())
        interaction = Interaction(
            id=InteractionId(draw(st.sampled_from(["int", "x-9f", "ab"])) + f"-{n:02d}"),
            org_id=draw(st.sampled_from([ORG, ORG, ORG, OTHER])),
            client=draw(st.sampled_from(CLIENTS)),
            kind=draw(st.sampled_from(InteractionKind)),
            direction=Direction.INBOUND,
            counterpart=Counterpart(draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))),
            subject="",
            body="",
            occurred_at=draw(instants),
            source="s",
            source_ref=f"r{n}",
            description=" ".join(words),
            tags=tuple(draw(st.lists(st.sampled_from(["plan", "boiler service"]), unique=True))),
            links=InteractionLinks(),
            captured_by=ANN,
            captured_at=draw(instants),
            updated_at=EPOCH,
        )
        if redacted:
            interaction = attrs.evolve(
                without_content(interaction), redaction=Redaction(ANN, EPOCH)
            )
        found.append(interaction)
    return zone, found


@st.composite
def queries(draw: st.DrawFn, zone: str, rows: list[Interaction]) -> InteractionQuery:
    vocabulary = sorted({w for i in rows for w in searchable_words(i, zone)}) or ["x"]
    words = draw(st.lists(st.sampled_from(vocabulary), max_size=2))
    typed = " ".join(w[: draw(st.integers(1, len(w)))] for w in words)
    sort = draw(
        st.lists(
            st.builds(SortField, st.sampled_from(InteractionSort), st.booleans()),
            min_size=1,
            max_size=2,
            unique_by=lambda f: f.key,
        )
    )
    return InteractionQuery(
        org_id=ORG,
        search=parse_search(typed) if typed else None,
        timezone=zone,
        client_id=draw(st.sampled_from([None, None, "c1"])),
        kinds=frozenset(draw(st.lists(st.sampled_from(InteractionKind), max_size=2))),
        sort=tuple(sort),
        group_by_kind=draw(st.booleans()),
        page=draw(st.integers(1, 4)),
        per_page=draw(st.integers(1, 5)),
    )


def _seed(store: Store, zone: str, rows: list[Interaction]) -> None:
    with store.unit_of_work() as uow:
        for org in (ORG, OTHER):
            uow.organisations.add(Organisation(org, org, zone, EPOCH))
        uow.staff.add(Staff(ANN, ORG, "Ann", "office_admin", EPOCH))
        for row in rows:
            # Stored as captured, then changed to what it is now: the index must follow.
            uow.interactions.add(attrs.evolve(row, description="Captured first", version=1))
            uow.interactions.update(row, expected_version=1)


def _changed(rows: list[Interaction]) -> list[Interaction]:
    """``rows`` as they are after the one change ``_seed`` makes to each."""
    return [attrs.evolve(row, version=2) for row in rows]


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(st.data(), interactions())
def test_every_store_pages_and_streams_as_the_reference(
    data: st.DataObject, generated: tuple[str, list[Interaction]]
) -> None:
    zone, rows = generated
    rows = _changed(rows)
    stores: list[Store] = [MemoryStore(), SqliteStore(":memory:")]
    for store in stores:
        _seed(store, zone, rows)
    for _ in range(4):
        query = data.draw(queries(zone, rows))
        expected = interaction_page(query, rows)
        everything = sort_interactions([r for r in rows if wanted(query, r)], query.order)
        for store in stores:
            with store.unit_of_work(read_only=True) as uow:
                assert uow.interactions.page(query) == expected, type(store).__name__
                assert list(uow.interactions.stream(query)) == everything
    _terms_are_counted(stores[1])
    for store in stores:
        store.close()


def _terms_are_counted(store: Store) -> None:
    # The terms table counts each word of every interaction's index entry, and no other:
    # a redacted or renamed interaction's old words are gone unless another holds them.
    assert isinstance(store, SqliteStore)
    conn = store._connection()
    held = Counter(
        w
        for (words,) in conn.execute("SELECT search_words FROM interactions")
        for w in words.split()
    )
    assert dict(conn.execute("SELECT term, uses FROM interaction_terms").fetchall()) == held


def test_a_second_may_hold_many_interactions_in_any_capture_order() -> None:
    # Hundreds captured in each of three seconds, out of time order, many at the same
    # instant: more than a page reads past (and more than a search counts) in one second,
    # so the store must complete the second a page ends in to order it exactly.
    at: DateTime = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
    rows = [
        Interaction(
            id=InteractionId(f"i{n:03d}"),
            org_id=ORG,
            client=CLIENTS[0],
            kind=InteractionKind.NOTE,
            direction=Direction.INTERNAL,
            counterpart=Counterpart(),
            subject="",
            body="",
            occurred_at=at.add(microseconds=(n * 7919) % 3_000_000 if n % 4 else 0),
            source="s",
            source_ref=f"r{n}",
            description=f"Note {n}",
            tags=(),
            links=InteractionLinks(),
            captured_by=ANN,
            captured_at=at,
            updated_at=at,
        )
        for n in range(1_100)
    ]
    rows = _changed(rows)
    store = SqliteStore(":memory:")
    _seed(store, "UTC", rows)
    for page in (1, 2, 7, 30, 60, 65):
        for descending in (True, False):
            query = InteractionQuery(
                org_id=ORG,
                sort=(SortField(InteractionSort.OCCURRED_AT, descending),),
                page=page,
                per_page=17,
                search=parse_search("note") if page % 2 else None,
            )
            with store.unit_of_work(read_only=True) as uow:
                assert uow.interactions.page(query) == interaction_page(query, rows), page
                if page == 1:
                    assert list(uow.interactions.stream(query)) == sort_interactions(
                        [r for r in rows if wanted(query, r)], query.order
                    )
    store.close()
