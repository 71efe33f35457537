"""How SQLite keeps an audit event: the record after, and what differed before (migration 11).

A change's ``before`` is stored as the fields whose values differ from
``after``; the store reads the whole snapshot back. These tests hold it to
exactness (values as JSON tells them apart, the record's field order) and to
events stored whole: by older versions, or when the snapshots' fields differ.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.audit import encode_json
from contactlog_core.domain.organisations.model import Organisation, OrgId
from contactlog_core.domain.shared.audit import AuditEvent
from tests.support.sizes import examples

ORG = OrgId("org")
T0 = pendulum.datetime(2026, 3, 1, 9, tz="UTC")
LEAD_BEFORE = {"id": "lead-1", "owner": "ann", "status": "ABANDONED", "note": "x", "version": 4}
LEAD_AFTER = {"id": "lead-1", "owner": None, "status": "AVAILABLE", "note": "x", "version": 5}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
fields = st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=6, unique=True)


def _event(before: dict[str, Any] | None, after: dict[str, Any] | None, n: int = 0) -> AuditEvent:
    return AuditEvent(f"e{n}", ORG, "lead", "lead-1", "age", None, T0.add(seconds=n), before, after)


def _store(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    with store.unit_of_work() as uow:
        uow.organisations.add(Organisation(ORG, "Northfield", "UTC", T0))
    return store


def _stored(path: Path, event_id: str) -> tuple[Any, ...]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT before, before_changes, after FROM audit_events WHERE id = ?", (event_id,)
        ).fetchone()
    return tuple(row)


def _read(store: SqliteStore, event_id: str) -> AuditEvent:
    with store.unit_of_work(read_only=True) as uow:
        (event,) = [e for e in uow.audit.events(ORG, limit=1000) if e.id == event_id]
    return event


def _as_text(snapshot: dict[str, Any] | None) -> str | None:
    # Exact as JSON: key order, and 1 / 1.0 / true told apart (Python's == is not).
    return None if snapshot is None else encode_json(snapshot)


def test_a_change_keeps_only_the_fields_that_differ_before(tmp_path: Path) -> None:
    store = _store(tmp_path / "a.db")
    with store.unit_of_work() as uow:
        uow.audit.append(_event(LEAD_BEFORE, LEAD_AFTER))
    assert _stored(tmp_path / "a.db", "e0") == (
        None,
        '{"owner":"ann","status":"ABANDONED","version":4}',
        encode_json(LEAD_AFTER),
    )
    read = _read(store, "e0")
    assert (_as_text(read.before), _as_text(read.after)) == (
        encode_json(LEAD_BEFORE),
        encode_json(LEAD_AFTER),
    )
    store.close()


def test_events_stored_whole_read_back_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    store = _store(path)
    added = {"id": "lead-1", "owner": "ann"}
    with store.unit_of_work() as uow:
        uow.audit.append(_event(None, added, 0))  # a creation: no before
        uow.audit.append(_event({"id": "lead-1"}, added, 1))  # fields differ: kept whole
        uow.audit.append(_event(added, None, 2))  # a removal: no after
    # As an older version wrote every change (before migration 11): whole.
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO audit_events (id, org_id, entity, entity_id, command, at, before, after)"
            " VALUES ('e3', ?, 'lead', 'lead-1', 'age', 0, ?, ?)",
            (ORG, encode_json(LEAD_BEFORE), encode_json(LEAD_AFTER)),
        )
    assert _stored(path, "e1") == ('{"id":"lead-1"}', None, encode_json(added))
    assert _stored(path, "e2") == (encode_json(added), None, None)
    expected = {
        "e0": (None, added),
        "e1": ({"id": "lead-1"}, added),
        "e2": (added, None),
        "e3": (LEAD_BEFORE, LEAD_AFTER),
    }
    for event_id, (before, after) in expected.items():
        read = _read(store, event_id)
        assert (_as_text(read.before), _as_text(read.after)) == (_as_text(before), _as_text(after))
    store.close()


def test_values_differ_as_json_tells_them_apart_and_field_order_counts(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    store = _store(path)
    before = {"flag": True, "number": 1.0, "items": [1], "zero": -0.0, "same": [True]}
    after = {"flag": 1, "number": 1, "items": [True], "zero": 0.0, "same": [True]}
    reordered = {"number": 1, "flag": 1, "items": [True], "zero": 0.0, "same": [True]}
    with store.unit_of_work() as uow:
        uow.audit.append(_event(before, after, 0))
        uow.audit.append(_event(reordered, after, 1))
    assert _stored(path, "e0")[:2] == (None, '{"flag":true,"number":1.0,"items":[1],"zero":-0.0}')
    assert _stored(path, "e1")[:2] == (encode_json(reordered), None)
    for event_id, snapshot in (("e0", before), ("e1", reordered)):
        assert _as_text(_read(store, event_id).before) == encode_json(snapshot)
    store.close()


def test_the_store_refuses_changes_beside_a_whole_before(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _store(path).close()
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO audit_events (id, org_id, entity, entity_id, command, at, before,"
            " after, before_changes) VALUES ('e9', ?, 'lead', 'l', 'age', 0, '{}', '{}', '{}')",
            (ORG,),
        )


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(data=st.data(), keys=fields)
def test_any_pair_of_snapshots_reads_back_exactly(
    tmp_path_factory: Any, data: st.DataObject, keys: list[str]
) -> None:
    path = tmp_path_factory.mktemp("audit") / "a.db"
    store = _store(path)
    after = {k: data.draw(json_values) for k in keys}
    # Mostly the same fields, each kept or changed; sometimes other fields altogether.
    before_keys = data.draw(st.just(keys) | fields)
    before = {k: data.draw(st.just(after.get(k)) | json_values) for k in before_keys}
    with store.unit_of_work() as uow:
        uow.audit.append(_event(before, after))
    read = _read(store, "e0")
    assert (_as_text(read.before), _as_text(read.after)) == (_as_text(before), _as_text(after))
    stored_before, changes, _ = _stored(path, "e0")
    if before_keys == keys:
        assert stored_before is None
        assert changes is not None
    store.close()
