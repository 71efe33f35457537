"""Interactions: drafts checked at the gate, tags normalised, rename, relink and redaction."""

from __future__ import annotations

import datetime as dt
import doctest
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from seeds import NOW, ORG

from contactlog_core import Actor, Policy, StaffId
from contactlog_core.domain.interactions import commands
from contactlog_core.domain.interactions import model as interactions
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionDraft,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
    check_draft,
    draft_from_mapping,
    normalise_tag,
    normalise_tags,
)
from contactlog_core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from contactlog_core.serialization import structure, unstructure

LATER = NOW.add(hours=2)
JANE = ClientRef(id="client-17", name="Jane Doe")
ACME = ClientRef(id="client-42", name="Acme Ltd")


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


def email_draft(**overrides: Any) -> InteractionDraft:
    fields: dict[str, Any] = {
        "client": JANE,
        "kind": InteractionKind.EMAIL,
        "source": "imap",
        "source_ref": "<CAF-2231@mail.example>",
        "occurred_at": NOW.subtract(days=1),
        "counterpart": Counterpart("Jane Doe", "jane@doe.example"),
        "subject": "RE: Invoice 2231 overdue",
        "body": "Hi Bob,\n\nInvoice 2231 is still unpaid.\n\nKind regards,\nJane",
        **overrides,
    }
    return InteractionDraft(**fields)


def capture(actor: Actor, draft: InteractionDraft | None = None, tags: Any = ()) -> Interaction:
    return commands.capture(
        interaction_id=InteractionId("int-1"),
        actor=actor,
        now=NOW,
        draft=email_draft() if draft is None else draft,
        tags=tags,
    ).after


@pytest.fixture
def email(office_admin: Actor) -> Interaction:
    return capture(office_admin, tags=["Invoice 2231", "unpaid"])


@pytest.fixture
def redacted(email: Interaction, school_admin: Actor, policy: Policy) -> Interaction:
    return commands.redact(email, school_admin, LATER, policy).after


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


# --- capture ------------------------------------------------------------------------------


def test_capture_names_tags_and_stamps_a_new_interaction(office_admin: Actor) -> None:
    change = commands.capture(
        interaction_id=InteractionId("int-1"),
        actor=office_admin,
        now=NOW,
        draft=email_draft(),
        tags=["Invoice 2231", "invoice  2231", "Unpaid"],
    )
    i = change.after
    assert (change.command, change.actor, change.before, change.at) == (
        "capture",
        "alice",
        None,
        NOW,
    )
    assert i.description == "Email from Jane Doe: Invoice 2231 overdue"
    assert i.tags == ("invoice 2231", "unpaid")
    assert (i.org_id, i.captured_by, i.captured_at, i.updated_at) == (ORG, "alice", NOW, NOW)
    assert (i.version, i.redaction, i.redacted) == (1, None, False)


def test_capture_keeps_a_description_the_source_gave(office_admin: Actor) -> None:
    i = capture(office_admin, email_draft(description="  Payment reminder  "))
    assert i.description == "Payment reminder"


def test_capture_names_from_the_body_when_there_is_no_subject(office_admin: Actor) -> None:
    draft = email_draft(kind="sms", subject="", counterpart=Counterpart(address="+447700900123"))
    assert capture(office_admin, draft).description == (
        "SMS from +447700900123: Invoice 2231 is still unpaid."
    )


def test_capture_refuses_a_bad_draft_before_anything_else(office_admin: Actor) -> None:
    with pytest.raises(ValidationError) as e:
        capture(office_admin, email_draft(occurred_at=NOW.naive()))
    assert e.value.field == "occurred_at"
    with pytest.raises(ValidationError) as e:
        commands.capture(
            interaction_id=InteractionId("int-1"), actor=office_admin, now=NOW, draft={}, tags=()
        )  # type: ignore[arg-type]
    assert e.value.field == "draft"
    with pytest.raises(ValidationError) as e:
        commands.capture(
            interaction_id=InteractionId(""),
            actor=office_admin,
            now=NOW,
            draft=email_draft(),
            tags=(),
        )
    assert e.value.field == "interaction_id"


def test_capture_refuses_a_naive_now(office_admin: Actor) -> None:
    with pytest.raises(ValidationError) as e:
        commands.capture(
            interaction_id=InteractionId("int-1"),
            actor=office_admin,
            now=NOW.naive(),
            draft=email_draft(),
            tags=(),
        )
    assert e.value.field == "now"


# --- rename and relink -------------------------------------------------------------------


def test_rename_changes_the_description_only(email: Interaction, other_office_admin: Actor) -> None:
    change = commands.rename(email, other_office_admin, LATER, "  Quote sent (wrong client) ")
    assert change.after == attrs.evolve(
        email, description="Quote sent (wrong client)", updated_at=LATER, version=2
    )
    assert (change.command, change.actor, change.before) == ("rename", "bob", email)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, None])
def test_rename_refuses_an_empty_or_long_description(
    email: Interaction, office_admin: Actor, bad: object
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.rename(email, office_admin, LATER, bad)  # type: ignore[arg-type]
    assert e.value.field == "description"


def test_rename_to_the_same_description_is_refused(email: Interaction, office_admin: Actor) -> None:
    with pytest.raises(ValidationError, match="already"):
        commands.rename(email, office_admin, LATER, email.description)


def test_relink_moves_to_another_client_and_nothing_else(
    email: Interaction, office_admin: Actor
) -> None:
    change = commands.relink(email, office_admin, LATER, ACME)
    assert change.after == attrs.evolve(email, client=ACME, updated_at=LATER, version=2)
    assert change.command == "relink"


def test_relink_to_the_same_client_is_refused(email: Interaction, office_admin: Actor) -> None:
    with pytest.raises(ValidationError) as e:
        commands.relink(email, office_admin, LATER, ClientRef(JANE.id, "Jane D."))
    assert e.value.field == "client"
    assert "already" in e.value.reason


@pytest.mark.parametrize(
    ("client", "field"),
    [
        ("client-42", "client"),
        (ClientRef("", "Acme"), "client.id"),
        (ClientRef("client-42", ""), "client.name"),
    ],
)
def test_relink_refuses_a_bad_client(
    email: Interaction, office_admin: Actor, client: Any, field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.relink(email, office_admin, LATER, client)
    assert e.value.field == field


def test_another_organisation_cannot_see_an_interaction_to_change_it(
    email: Interaction, outsider: Actor, policy: Policy
) -> None:
    for attempt in (
        lambda: commands.rename(email, outsider, LATER, "Mine now"),
        lambda: commands.relink(email, outsider, LATER, ACME),
        lambda: commands.redact(email, outsider, LATER, policy),
    ):
        with pytest.raises(NotFound) as e:
            attempt()
        assert (e.value.kind, e.value.id) == ("interaction", "int-1")


# --- redaction ----------------------------------------------------------------------------


def test_an_office_admin_cannot_redact(
    email: Interaction, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(PermissionDenied) as e:
        commands.redact(email, office_admin, LATER, policy)
    assert (e.value.permission, e.value.actor, e.value.command) == (
        "redact_interaction",
        "alice",
        "redact",
    )


def test_redaction_keeps_a_tombstone_without_content(
    email: Interaction, redacted: Interaction
) -> None:
    assert redacted.redaction == Redaction(by="hana", at=LATER)
    assert redacted.redacted
    assert (redacted.subject, redacted.body, redacted.description) == ("", "", "")
    assert (redacted.counterpart, redacted.tags) == (Counterpart(), ())
    assert (redacted.version, redacted.updated_at) == (email.version + 1, LATER)
    assert redacted == attrs.evolve(
        commands.without_content(email),
        redaction=redacted.redaction,
        version=redacted.version,
        updated_at=LATER,
    )


# Every field of an interaction is either kept by a redaction or dropped by it: a new
# field must be put in one of these, so that nobody forgets to decide.
KEPT = {
    "id", "org_id", "client", "kind", "direction", "occurred_at", "source", "source_ref",
    "captured_by", "captured_at", "links",
}  # fmt: skip
DROPPED = {"subject", "body", "description", "counterpart", "tags"}
STAMPS = {"redaction", "version", "updated_at"}


def test_every_field_is_either_kept_or_dropped_by_a_redaction() -> None:
    assert set(attrs.fields_dict(Interaction)) == KEPT | DROPPED | STAMPS
    assert not KEPT & DROPPED


WORDY = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40)


@given(
    subject=WORDY,
    body=WORDY,
    name=WORDY,
    address=WORDY,
    tags=st.lists(WORDY, max_size=6),
    kind=st.sampled_from(InteractionKind),
)
def test_redaction_drops_every_content_field_of_any_interaction(
    subject: str, body: str, name: str, address: str, tags: list[str], kind: InteractionKind
) -> None:
    actor = Actor(staff_id=StaffId("hana"), org_id=ORG, role="school_admin")
    draft = email_draft(
        kind=kind, subject=subject, body=body, counterpart=Counterpart(name, address)
    )
    try:
        before = capture(actor, draft, tags=tags)
    except ValidationError:
        return
    after = commands.redact(before, actor, LATER, Policy.default()).after
    for field in KEPT:
        assert getattr(after, field) == getattr(before, field)
    assert {f: getattr(after, f) for f in DROPPED} == {
        "subject": "",
        "body": "",
        "description": "",
        "counterpart": Counterpart(),
        "tags": (),
    }


def test_a_redacted_interaction_refuses_every_further_change(
    redacted: Interaction, school_admin: Actor, policy: Policy
) -> None:
    for command, attempt in (
        ("rename", lambda: commands.rename(redacted, school_admin, LATER, "Back again")),
        ("relink", lambda: commands.relink(redacted, school_admin, LATER, ACME)),
        ("redact", lambda: commands.redact(redacted, school_admin, LATER, policy)),
    ):
        with pytest.raises(InvalidTransition) as e:
            attempt()
        assert (e.value.status, e.value.command, e.value.record_id) == (
            "redacted",
            command,
            "int-1",
        )


# --- round trip and docs -------------------------------------------------------------------


def test_an_interaction_and_its_tombstone_round_trip_through_plain_data(
    email: Interaction, redacted: Interaction
) -> None:
    for value in (email, redacted):
        assert structure(unstructure(value), Interaction) == value
    draft = email_draft(tags=("invoice",), links=InteractionLinks(lead_id="lead-3"))
    assert structure(unstructure(draft), InteractionDraft) == draft


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(interactions, raise_on_error=True).failed == 0
