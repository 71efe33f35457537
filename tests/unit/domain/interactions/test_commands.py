"""Interactions: capture checks, names, tags and stamps one; rename, relink and redaction change it."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core import Actor, Policy, StaffId
from contactlog_core.domain.interactions import commands
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Interaction,
    InteractionDraft,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from contactlog_core.serialization import structure, unstructure
from tests.support.seeds import NOW, ORG

LATER = NOW.add(hours=2)
JANE = ClientRef(id="client-17", name="Jane Doe")
ACME = ClientRef(id="client-42", name="Acme Ltd")


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


# --- round trip ----------------------------------------------------------------------------


def test_an_interaction_and_its_tombstone_round_trip_through_plain_data(
    email: Interaction, redacted: Interaction
) -> None:
    for value in (email, redacted):
        assert structure(unstructure(value), Interaction) == value
    draft = email_draft(tags=("invoice",), links=InteractionLinks(lead_id="lead-3"))
    assert structure(unstructure(draft), InteractionDraft) == draft
