"""One converter round-trips every entity, event and policy through JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactlog_core import (
    Actor,
    AuditEvent,
    Change,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpDraft,
    Organisation,
    Policy,
    Staff,
    ValidationError,
)
from contactlog_core.serialization import make_converter, structure, unstructure
from contactlog_core.testing import strategies as cls_st
from tests.support.seeds import NOW
from tests.support.sizes import examples

TYPES = [ContactLog, FollowUp, FollowUpDraft, ContactRef, Organisation, Staff, Actor, Policy]


def _through_json(value: Any, cls: Any) -> Any:
    return structure(json.loads(json.dumps(unstructure(value))), cls)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(data=st.data())
def test_every_entity_round_trips(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    assert _through_json(value, cls) == value


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(cls_st.contact_logs(), cls_st.contact_logs())
def test_a_change_round_trips_with_its_before_and_after(
    before: ContactLog, after: ContactLog
) -> None:
    change = Change(command="take", actor=after.owner, at=NOW, before=before, after=after)
    assert _through_json(change, Change[ContactLog]) == change


def test_an_audit_event_round_trips() -> None:
    event = AuditEvent(
        id="e1",
        org_id="o",
        entity="log",
        entity_id="l",
        command="take",
        actor=None,
        at=NOW,
        before=None,
        after={"a": [1]},
    )
    assert _through_json(event, AuditEvent) == event


def test_instants_are_written_in_utc_as_iso_8601_with_an_offset() -> None:
    assert unstructure(NOW.in_timezone("Asia/Kolkata")) == "2026-11-02T09:00:00+00:00"
    ref = FollowUpDraft(due_at=NOW)
    assert unstructure(ref)["due_at"] == "2026-11-02T09:00:00+00:00"


@pytest.mark.parametrize(
    "due_at", ["2026-11-02T09:00:00", "tomorrow", 1_700_000_000, None, "2026-13-40T00:00:00+00:00"]
)
def test_naive_or_malformed_instants_are_refused(due_at: object) -> None:
    with pytest.raises(ValidationError):
        structure(
            {
                "due_at": due_at,
                "reason": "",
                "assigned_to": None,
                "forward_to": None,
                "priority": "low",
            },
            FollowUpDraft,
        )


def test_unknown_and_missing_fields_are_refused() -> None:
    good = unstructure(ContactRef(id="c1", display_name="Sam"))
    assert structure(good, ContactRef) == ContactRef(id="c1", display_name="Sam")
    with pytest.raises(ValidationError) as e:
        structure({**good, "phone": "0123"}, ContactRef)
    assert "phone" in str(e.value)
    with pytest.raises(ValidationError):
        structure({"id": "c1"}, ContactRef)
    with pytest.raises(ValidationError):
        structure(["c1", "Sam"], ContactRef)


def test_make_converter_gives_an_independent_converter_with_the_same_hooks() -> None:
    conv = make_converter()
    assert conv.unstructure(NOW) == "2026-11-02T09:00:00+00:00"
    assert conv.structure("2026-11-02T10:00:00+01:00", type(NOW)) == NOW


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(cls_st.contact_logs())
def test_snapshots_hold_plain_json_types_only(log: ContactLog) -> None:
    def plain(value: Any) -> bool:
        if isinstance(value, dict):
            return all(type(k) is str and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float, bool)

    assert plain(unstructure(log))
    assert plain(Policy.default().to_dict())
