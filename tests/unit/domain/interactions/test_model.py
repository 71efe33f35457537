"""Interactions at the gate: a sync job's plain data becomes a checked draft, and tags are normalised."""

from __future__ import annotations

import datetime as dt
import doctest
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contactlog_core.domain.interactions import model as interactions
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    InteractionDraft,
    InteractionKind,
    InteractionLinks,
    check_draft,
    draft_from_mapping,
    normalise_tag,
    normalise_tags,
)
from contactlog_core.errors import ValidationError
from tests.support.sizes import examples

JANE = ClientRef(id="client-17", name="Jane Doe")


def mapping(**overrides: object) -> dict[str, Any]:
    """A sync job's plain-data draft: an inbound email, with ``overrides`` on top."""
    data: dict[str, Any] = {
        "client": {"id": "client-17", "name": "Jane Doe"},
        "kind": "email",
        "source": "imap",
        "source_ref": "<CAF-2231@mail.example>",
        "occurred_at": "2026-11-01T16:45:00+01:00",
        "counterpart": {"name": "Jane Doe", "address": "jane@doe.example"},
        "subject": "RE: Invoice 2231 overdue",
        "body": "Hi Bob,\n\nInvoice 2231 is still unpaid.\n\nKind regards,\nJane",
    }
    data.update(overrides)
    return data


# --- draft_from_mapping ---------------------------------------------------------------


def test_a_sync_jobs_mapping_becomes_a_checked_draft() -> None:
    draft = draft_from_mapping(mapping(tags=["Invoice", " invoice "], links={"log_id": "log-1"}))
    assert draft.client == JANE
    assert (draft.kind, draft.direction) == (InteractionKind.EMAIL, Direction.INBOUND)
    assert draft.occurred_at == pendulum.datetime(2026, 11, 1, 15, 45, tz="UTC")
    assert draft.counterpart == Counterpart("Jane Doe", "jane@doe.example")
    assert draft.links == InteractionLinks(log_id="log-1")
    assert draft.tags == ("invoice",)
    assert draft.description is None


def test_null_for_an_optional_field_means_not_given() -> None:
    draft = draft_from_mapping(
        mapping(counterpart=None, subject=None, body=None, tags=None, description=None)
    )
    assert (draft.counterpart, draft.subject, draft.body, draft.tags) == (
        Counterpart(),
        "",
        "",
        None,
    )


def test_an_aware_datetime_object_is_taken_too() -> None:
    when = pendulum.datetime(2026, 11, 1, 9, tz="Europe/Paris")
    assert draft_from_mapping(mapping(occurred_at=when)).occurred_at == when


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"colour": "blue"}, "colour"),
        ({"kind": "fax"}, "kind"),
        ({"kind": None}, "kind"),
        ({"direction": "sideways"}, "direction"),
        ({"occurred_at": "2026-11-01T16:45:00"}, "occurred_at"),
        ({"occurred_at": dt.datetime(2026, 11, 1, 16, 45)}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": 1_762_000_000}, "occurred_at"),
        ({"occurred_at": "2026-11-01T16:45:00+01:00" + " " * 80}, "occurred_at"),
        ({"source": ""}, "source"),
        ({"source": "x" * 201}, "source"),
        ({"source_ref": "   "}, "source_ref"),
        ({"source_ref": ["<a@b>"]}, "source_ref"),
        ({"subject": "x" * 501}, "subject"),
        ({"subject": "Invoice\x00 2231"}, "subject"),
        ({"subject": "\ud800"}, "subject"),
        ({"body": "x" * 200_001}, "body"),
        ({"body": b"bytes"}, "body"),
        ({"description": ""}, "description"),
        ({"description": "x" * 81}, "description"),
        ({"client": "client-17"}, "client"),
        ({"client": {"id": "client-17"}}, "client.name"),
        ({"client": {"id": "", "name": "Jane"}}, "client.id"),
        ({"client": {"id": "c\n1", "name": "Jane"}}, "client.id"),
        ({"client": {"id": "c1", "name": "Jane", "vip": True}}, "client.vip"),
        ({"counterpart": {"name": "x" * 201}}, "counterpart.name"),
        ({"counterpart": {"address": 447700900123}}, "counterpart.address"),
        ({"counterpart": ["Jane"]}, "counterpart"),
        ({"links": {"log_id": 7}}, "links.log_id"),
        ({"links": {"ticket": "t-1"}}, "links.ticket"),
        ({"tags": "invoice"}, "tags"),
        ({"tags": ["invoice", 2231]}, "tags"),
        ({"tags": ["invoice", "  "]}, "tags"),
        ({"tags": ["x" * 61]}, "tags"),
    ],
)
def test_every_bad_field_is_named(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as e:
        draft_from_mapping(mapping(**overrides))
    assert e.value.field == field


@pytest.mark.parametrize("missing", ["client", "kind", "source", "source_ref", "occurred_at"])
def test_a_missing_required_field_is_named(missing: str) -> None:
    data = mapping()
    del data[missing]
    with pytest.raises(ValidationError) as e:
        draft_from_mapping(data)
    assert (e.value.field, e.value.reason) == (missing, "is required")


@pytest.mark.parametrize("data", [None, [], "client", 7, {1: "x"}, {("client",): 1}])
def test_anything_but_a_mapping_with_text_keys_is_refused(data: object) -> None:
    with pytest.raises(ValidationError) as e:
        draft_from_mapping(data)
    assert e.value.field == "draft"


def test_an_instant_beyond_the_calendar_is_refused_not_crashed() -> None:
    edge = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    with pytest.raises(ValidationError) as e:
        draft_from_mapping(mapping(occurred_at=edge))
    assert e.value.field == "occurred_at"


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.binary(max_size=8)
    | st.datetimes()
    | st.datetimes(timezones=st.timezones())
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(sorted(attrs.fields_dict(InteractionDraft)))


@pytest.mark.sized
@settings(max_examples=examples(dev=30, ci=30, long=200, torture=2_000))
@given(data=st.dictionaries(KEYS | st.text(max_size=12), PLAIN, max_size=8))
def test_an_arbitrary_mapping_gives_a_draft_or_a_validation_error(data: dict[str, Any]) -> None:
    try:
        draft = draft_from_mapping(data)
    except ValidationError:
        return
    assert check_draft(draft) == draft


@given(field=KEYS, value=PLAIN)
def test_any_value_in_any_field_of_a_good_mapping_gives_a_draft_or_a_validation_error(
    field: str, value: object
) -> None:
    named = field
    try:
        draft_from_mapping(mapping(**{field: value}))
    except ValidationError as e:
        named = e.field
    assert named.split(".")[0] == field


@given(data=st.data(), field=st.sampled_from(["client", "counterpart", "links"]))
def test_any_nested_value_gives_a_draft_or_a_validation_error(
    data: st.DataObject, field: str
) -> None:
    nested = data.draw(st.dictionaries(st.sampled_from(["id", "name", "address", "log_id"]), PLAIN))
    named = field
    try:
        draft_from_mapping(mapping(**{field: nested}))
    except ValidationError as e:
        named = e.field
    assert named.split(".")[0] == field


# --- tags -------------------------------------------------------------------------------


def test_a_tag_is_casefolded_trimmed_and_collapsed() -> None:
    assert normalise_tag("  Boiler \t  SERVICE\n") == "boiler service"
    assert normalise_tag("STRASSE") == normalise_tag("Straße") == "strasse"
    assert normalise_tag("Cafe\u0301") == "café"  # NFC, as the extractor writes tags


@pytest.mark.parametrize("bad", ["", "   ", "x" * 61, "a\x00b", None, 5, ["tag"]])
def test_a_bad_tag_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError) as e:
        normalise_tag(bad)
    assert e.value.field == "tags"


def test_tags_are_deduplicated_in_order_and_cut_to_five() -> None:
    tags = ["Invoice", "invoice ", "Roof", "a", "b", "c", "d", "e"]
    assert normalise_tags(tags) == ("invoice", "roof", "a", "b", "c")


def test_a_bad_tag_after_the_fifth_still_refuses_them_all() -> None:
    with pytest.raises(ValidationError):
        normalise_tags(["a", "b", "c", "d", "e", "f", ""])


@given(tags=st.lists(st.text(max_size=70), max_size=12))
def test_normalised_tags_are_at_most_five_distinct_and_stable(tags: list[str]) -> None:
    try:
        once = normalise_tags(tags)
    except ValidationError:
        return
    assert len(once) <= 5
    assert len(set(once)) == len(once)
    assert normalise_tags(once) == once


# --- docs ---------------------------------------------------------------------------------


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(interactions, raise_on_error=True).failed == 0
