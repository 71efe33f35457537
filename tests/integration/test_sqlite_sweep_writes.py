"""How the SQLite sweep writes: its event ids, the index entries it leaves, and the settings it borrows."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore, lead_sweep
from contactlog_core.ports import AgingBatch

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SETTINGS = ("cache_size", "wal_autocheckpoint")


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[cl.ContactLogApp, SqliteStore]]:
    store = SqliteStore(tmp_path / "sweep.db")
    app = cl.ContactLogApp(store, clock=cl.ManualClock(START, tick=pendulum.duration(seconds=1)))
    org = app.organisations.create("Northfield")
    staff = [
        app.actor(app.staff.add(org.id, name=f"Staff {n}", role="office_admin").id)
        for n in range(3)
    ]
    for n in range(40):
        follow_up = START.add(days=n % 4 + 1) if n % 2 else None
        app.leads.add(staff[n % 3], name=f"Lead {n}", follow_up_at=follow_up)
    assert isinstance(app.clock, cl.ManualClock)
    app.clock.advance(days=12)  # every lead is in the lead bank by then: owners cleared
    yield app, store
    store.close()


def _settings(store: SqliteStore) -> dict[str, int]:
    conn = store._connection()
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in SETTINGS}


def test_sweep_event_ids_are_32_hex_digits_growing_with_the_leads(
    team: tuple[cl.ContactLogApp, SqliteStore],
) -> None:
    app, store = team
    assert app.leads.sweep(batch_size=7).changed == 40
    conn = store._connection()
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM audit_events WHERE command = 'age' ORDER BY entity_id"
        )
    ]
    by_lead = [
        r[0]
        for r in conn.execute(
            "SELECT a.id FROM audit_events a JOIN leads l ON l.id = a.entity_id"
            " WHERE a.command = 'age' ORDER BY l.rowid"
        )
    ]
    assert len(set(ids)) == 40
    assert all(HEX_ID.match(i) for i in ids)
    assert by_lead == sorted(by_lead)  # each batch's ids sort after the last batch's


def _entries(conn: sqlite3.Connection, index: str) -> int:
    # The index's entries, counted in its own b-tree (cells of its leaf pages), not by a query
    # that could be answered from the table.
    query = "SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = ? AND pagetype = 'leaf'"
    count: int = conn.execute(query, (index,)).fetchone()[0]
    return count


def test_the_owner_indexes_hold_only_owned_leads_and_scheduled_ones(
    team: tuple[cl.ContactLogApp, SqliteStore],
) -> None:
    app, store = team
    conn = store._connection()
    assert _entries(conn, "leads_by_owner_anchor") == 40
    assert _entries(conn, "leads_by_owner_follow_up") == 20  # the leads with a follow-up
    # In the lead bank no lead has an owner: the sweep took every one out of both indexes.
    assert app.leads.sweep(batch_size=7).changed == 40
    assert _entries(conn, "leads_by_owner_anchor") == 0
    assert _entries(conn, "leads_by_owner_follow_up") == 0
    assert _entries(conn, "leads_by_anchor") == 40


@given(
    now=st.integers(-(2**62), 2**62),
    rid=st.integers(1, 2**63 - 1),
)
def test_an_event_id_is_32_hex_digits_whatever_the_instant_and_rowid(now: int, rid: int) -> None:
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {lead_sweep._EVENT_ID} FROM (SELECT :rid AS rid) m"
    (text,) = conn.execute(sql, {"now": now, "rid": rid}).fetchone()
    assert HEX_ID.match(text), text


def test_the_sweep_gives_the_connection_its_settings_back(
    team: tuple[cl.ContactLogApp, SqliteStore],
) -> None:
    app, store = team
    before = _settings(store)
    during: list[dict[str, int]] = []

    def progress(batch: AgingBatch) -> None:
        if batch.next is not None:
            during.append(_settings(store))

    assert app.leads.sweep(batch_size=7, progress=progress).changed == 40
    assert during
    assert all(s == {"cache_size": -65536, "wal_autocheckpoint": 16384} for s in during)
    assert _settings(store) == before


def test_a_failed_batch_gives_the_connection_its_settings_back(
    team: tuple[cl.ContactLogApp, SqliteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, store = team
    before = _settings(store)
    calls = 0
    age = lead_sweep._age

    def fail_the_second(*args: object, **kwargs: object) -> AgingBatch:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("the batch broke")
        return age(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lead_sweep, "_age", fail_the_second)
    with pytest.raises(RuntimeError, match="the batch broke"):
        app.leads.sweep(batch_size=7)
    assert _settings(store) == before
    monkeypatch.undo()
    assert app.leads.sweep(batch_size=7).changed == 33  # the first batch of 7 stood
    assert _settings(store) == before
