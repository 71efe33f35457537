"""Cleaning interaction content: what the sender wrote stays, mail furniture goes."""

from __future__ import annotations

import pytest

from contactlog_core.tags import clean_interaction_text

REPLY_WITH_SIGNATURE = """\
From: Anna Smith <anna.smith@acme.example>
Sent: Monday, 3 June 2024 10:12
To: John Brown <john@brown.example>
Subject: RE: Kitchen refit quote

Hi John,

Thanks for the quote for the kitchen refit. Could we move the site visit?
Invoice 2231 is still open.

Kind regards,
Anna Smith
Sales Manager | Acme Ltd
Tel: +44 20 7946 0958

On Fri, 31 May 2024 at 16:02, John Brown <
john@brown.example> wrote:
> Please find the quote attached.
> Best, John
"""


def test_a_reply_keeps_the_subject_and_the_new_text_only() -> None:
    cleaned = clean_interaction_text(REPLY_WITH_SIGNATURE)
    assert cleaned.splitlines() == [
        "RE: Kitchen refit quote",
        "Thanks for the quote for the kitchen refit. Could we move the site visit?",
        "Invoice 2231 is still open.",
    ]


def test_quoted_lines_are_dropped_even_between_new_lines() -> None:
    text = "Yes, Thursday works.\n> Does Thursday work?\n> Bob\nSee you then."
    assert clean_interaction_text(text) == "Yes, Thursday works.\nSee you then."


def test_an_outlook_quoted_header_ends_the_new_text() -> None:
    text = "Approved, go ahead.\n\nFrom: Bob <bob@b.example>\nSent: Tuesday\nSubject: budget"
    assert clean_interaction_text(text) == "Approved, go ahead."


def test_an_original_message_marker_ends_the_new_text() -> None:
    text = "Done.\n-----Original Message-----\nFrom: Bob\nplease renew the lease"
    assert clean_interaction_text(text) == "Done."


def test_a_forwarded_message_keeps_its_body_but_not_its_headers() -> None:
    text = (
        "FYI below.\n---------- Forwarded message ---------\nFrom: Bob <bob@b.example>\n"
        "Date: Mon, 3 Jun 2024\nSubject: Lease renewal\nTo: Anna\n\nThe lease ends in July."
    )
    assert clean_interaction_text(text).splitlines() == [
        "FYI below.",
        "Lease renewal",
        "The lease ends in July.",
    ]


@pytest.mark.parametrize(
    "sign_off",
    [
        "-- \nJo Bloggs\nDirector",
        "Kind regards,\nJo",
        "Best wishes\nJo Bloggs\n07700 900123",
        "Thanks,\nJo",
        "Cheers",
        "Yours faithfully\nJ. Bloggs",
        "Sent from my iPhone",
        "Mit freundlichen Grüßen\nJo Bloggs",
        "Cordialement,\nJo",
    ],
)
def test_a_sign_off_and_the_signature_under_it_are_dropped(sign_off: str) -> None:
    text = f"The boiler service is booked for Friday.\n\n{sign_off}"
    assert clean_interaction_text(text) == "The boiler service is booked for Friday."


def test_thanks_that_opens_a_sentence_is_text_not_a_sign_off() -> None:
    text = "Thanks for the invoice 2231, it is paid."
    assert clean_interaction_text(text) == text


def test_a_sign_off_at_the_end_of_a_one_line_message_is_dropped() -> None:
    assert clean_interaction_text("Invoice 2231 paid. Thanks, Jo") == "Invoice 2231 paid."
    assert clean_interaction_text("Running late, sorry! Jo") == "Running late, sorry!"


@pytest.mark.parametrize(
    ("greeting", "rest"),
    [
        ("Hi John,", "the meter reading is due."),
        ("Dear Sir or Madam,", "the meter reading is due."),
        ("Good morning team!", "the meter reading is due."),
        ("Hallo Herr Müller,", "die Rechnung ist fällig."),
        ("Bonjour Marie,", "la facture est due."),
    ],
)
def test_a_greeting_is_dropped(greeting: str, rest: str) -> None:
    assert clean_interaction_text(f"{greeting} {rest}") == rest
    assert clean_interaction_text(f"{greeting}\n{rest}") == rest


def test_links_and_addresses_become_breaks() -> None:
    cleaned = clean_interaction_text(
        "See https://acme.example/quote?id=7 or www.acme.co.uk, write to jo.b+q@acme.co.uk "
        "or visit acme.com today"
    )
    for gone in ("http", "acme", "www", "@"):
        assert gone not in cleaned
    assert cleaned.startswith("See")
    assert cleaned.endswith("today")


@pytest.mark.parametrize(
    "number",
    ["+44 20 7946 0958", "(020) 7946-0958", "4111 1111 1111 1111", "4111111111111111", "12345678"],
)
def test_long_numbers_are_dropped_short_ones_stay(number: str) -> None:
    cleaned = clean_interaction_text(f"Invoice 2231: card {number} was declined")
    assert "2231" in cleaned
    assert sum(ch.isdigit() for ch in cleaned) == 4


def test_case_is_kept() -> None:
    assert clean_interaction_text("Invoice 2231 from ACME Ltd") == "Invoice 2231 from ACME Ltd"


def test_windows_and_old_mac_line_endings_count_as_line_breaks() -> None:
    text = "Boiler booked.\r\n> old\r\nKind regards\rJo"
    assert clean_interaction_text(text) == "Boiler booked."
