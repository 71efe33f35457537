"""Values arriving from callers: text, ids and choices are checked, and a refusal says why.

Every message is compared whole: a host app shows these strings to people, and matches on
``field`` to point at the bad input.
"""

from __future__ import annotations

import pytest

from contactlog_core import errors
from contactlog_core.domain.logs.model import Channel
from contactlog_core.domain.shared import validation as check


def test_text_with_nul_characters_is_refused() -> None:
    with pytest.raises(errors.ValidationError):
        check.text("bus\x00route", "subject", max_length=50)
    assert check.text("  bus  ", "subject", max_length=3) == "bus"
    assert check.text("", "notes", max_length=3, required=False) == ""


def test_text_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(errors.ValidationError):
        check.text("bus \ud800 route", "subject", max_length=50)
    assert check.text("Élodie ✓ 🚌", "subject", max_length=50) == "Élodie ✓ 🚌"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "invalid subject: expected text, got int"),
        ("   ", "invalid subject: must not be empty"),
        ("abcd", "invalid subject: at most 3 characters, got 4"),
        ("a\x00b", "invalid subject: must not contain NUL characters"),
        ("a\ud800", "invalid subject: must be valid Unicode (no lone surrogates)"),
    ],
)
def test_bad_text_is_refused_with_a_message_that_says_why(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.text(value, "subject", max_length=3)
    assert e.value.field == "subject"
    assert str(e.value) == message


def test_optional_text_may_be_empty_but_not_too_long() -> None:
    assert check.text("  ", "notes", max_length=3, required=False) == ""
    with pytest.raises(errors.ValidationError) as e:
        check.text(" abcd ", "notes", max_length=3, required=False)
    assert str(e.value) == "invalid notes: at most 3 characters, got 4"


def test_an_id_of_exactly_the_maximum_length_is_accepted() -> None:
    longest = "x" * check.MAX_ID_LENGTH
    assert check.identifier(longest, "contact.id") == longest
    with pytest.raises(errors.ValidationError) as e:
        check.identifier(longest + "x", "contact.id")
    assert e.value.field == "contact.id"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "invalid contact.id: expected an id (1 to 128 characters), got ''"),
        (7, "invalid contact.id: expected an id (1 to 128 characters), got 7"),
        ("p\n1", "invalid contact.id: an id must contain printable characters only"),
    ],
)
def test_bad_ids_are_refused_with_a_message_that_says_why(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.identifier(value, "contact.id")
    assert e.value.field == "contact.id"
    assert str(e.value) == message


def test_an_unknown_choice_lists_the_allowed_values() -> None:
    with pytest.raises(errors.ValidationError) as e:
        check.choice("fax", Channel, "channel")
    assert e.value.field == "channel"
    assert str(e.value) == (
        "invalid channel: 'fax' is not one of: phone, email, in_person, letter, sms, other"
    )
