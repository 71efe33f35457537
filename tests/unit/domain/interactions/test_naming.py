"""Auto-naming: short, deterministic descriptions from real-looking mail, texts and calls."""

from __future__ import annotations

import doctest
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core.domain.interactions import naming
from contactlog_core.domain.interactions.model import Counterpart, Direction, InteractionKind
from contactlog_core.domain.interactions.naming import describe, strip_reply_prefixes, truncate
from contactlog_core.errors import ValidationError

JANE = Counterpart("Jane Doe", "jane@doe.example")

ENGLISH_REPLY = """\
Hi John,

Thanks for the quote for the kitchen refit. Could we move the site visit?

Kind regards,
Anna Smith
Tel: +44 20 7946 0958

On Fri, 31 May 2024 at 16:02, John Brown <john@brown.example> wrote:
> Please find the quote attached.
"""

GERMAN_REPLY = """\
Sehr geehrte Frau Schmidt,

vielen Dank für Ihr Angebot. Wir möchten den Termin am Donnerstag bestätigen.

Mit freundlichen Grüßen
Klaus Müller

Von: Schmidt, Eva <eva@schmidt.example>
Gesendet: Montag, 3. Juni 2024 10:12
Betreff: Angebot
"""

FRENCH_REPLY = """\
Bonjour Monsieur Dupont,

Je vous confirme le rendez-vous de jeudi à 14h pour l'état des lieux.

Cordialement,
Élodie Martin

Le lun. 3 juin 2024 à 10:12, Pierre Dupont <pierre@dupont.example> a écrit :
> Pouvez-vous confirmer ?
"""

OUTLOOK_TOP_POST = """\
Approved, go ahead with the roof repair.

Sent from my iPhone

From: Bob Builder <bob@builder.example>
Sent: Tuesday, 4 June 2024 09:00
Subject: Roof repair quote
"""

EXAMPLES = [
    pytest.param(
        ("email", "inbound", JANE, "RE: RE: Invoice 2231 overdue", ""),
        "Email from Jane Doe: Invoice 2231 overdue",
        id="english subject with repeated reply prefixes",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Anna Smith"), "", ENGLISH_REPLY),
        "Email from Anna Smith: Thanks for the quote for the kitchen refit. Could we…",
        id="english reply without subject: greeting, signature and quote dropped",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Klaus Müller"), "AW: WG: Angebot Dachsanierung", ""),
        "Email from Klaus Müller: Angebot Dachsanierung",
        id="german subject with AW and WG",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Klaus Müller"), "", GERMAN_REPLY),
        "Email from Klaus Müller: Vielen Dank für Ihr Angebot. Wir möchten den Termin am…",
        id="german reply without subject",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Élodie Martin"), "TR: Re: Facture n° 2231", ""),
        "Email from Élodie Martin: Facture n° 2231",
        id="french subject with TR",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Élodie Martin"), "", FRENCH_REPLY),
        "Email from Élodie Martin: Je vous confirme le rendez-vous de jeudi à 14h pour…",
        id="french reply without subject",
    ),
    pytest.param(
        (
            "email",
            "outbound",
            Counterpart(),
            "",
            "Hi Jane,\n\nThe quote is attached.\n\nBest,\nBob",
        ),
        "Email sent: The quote is attached.",
        id="outbound email to nobody named",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("Bob Builder"), "", OUTLOOK_TOP_POST),
        "Email from Bob Builder: Approved, go ahead with the roof repair.",
        id="top-posted outlook reply",
    ),
    pytest.param(
        ("email", "inbound", Counterpart(), "Fwd:", ""),
        "Email received",
        id="nothing but a prefix",
    ),
    pytest.param(
        (
            "email",
            "inbound",
            JANE,
            "Re: Quarterly maintenance contract renewal for 12, 14 and 16 Station Road",
            "",
        ),
        "Email from Jane Doe: Quarterly maintenance contract renewal for 12, 14 and 16…",
        id="long subject cut at a word",
    ),
    pytest.param(
        ("email", "inbound", JANE, "", "Hi Bob,\n\nThanks,\nJane"),
        "Email from Jane Doe",
        id="a body of nothing but greeting and sign-off",
    ),
    pytest.param(
        ("sms", "outbound", Counterpart(address="+44 7700 900123"), "", "Running late"),
        "SMS to +44 7700 900123: Running late",
        id="sms to a number",
    ),
    pytest.param(
        ("sms", "inbound", Counterpart("Sam"), "", "ok 👍"),
        "SMS from Sam: Ok 👍",
        id="short sms with emoji",
    ),
    pytest.param(
        ("whatsapp", "inbound", JANE, "", "🎉🎉 Contract signed!! See you Monday 🙌"),
        "WhatsApp from Jane Doe: 🎉🎉 Contract signed!! See you Monday 🙌",
        id="whatsapp",
    ),
    pytest.param(
        ("whatsapp", "inbound", JANE, "", "👍"),
        "WhatsApp from Jane Doe: 👍",
        id="emoji alone says something",
    ),
    pytest.param(("call", "inbound", JANE, "", ""), "Call with Jane Doe", id="call, empty"),
    pytest.param(
        ("call", "outbound", Counterpart(address="+33 6 12 34 56 78"), "", "Left a voicemail"),
        "Call with +33 6 12 34 56 78: Left a voicemail",
        id="call to a number",
    ),
    pytest.param(
        ("call", "inbound", Counterpart(), "", "Asked about the boiler service"),
        "Call received: Asked about the boiler service",
        id="call from nobody known",
    ),
    pytest.param(
        ("note", "internal", JANE, "", "Client prefers calls after 5pm.\nAsked about warranty."),
        "Note: Client prefers calls after 5pm.",
        id="note: first line, no party",
    ),
    pytest.param(("note", "internal", JANE, "", "   \n\n "), "Note", id="empty note"),
    pytest.param(
        ("meeting", "internal", Counterpart("Jane & Tom Doe"), "Site visit: kitchen", ""),
        "Meeting with Jane & Tom Doe: Site visit: kitchen",
        id="meeting",
    ),
    pytest.param(
        ("other", "inbound", Counterpart("Post room"), "", "Letter from the council"),
        "Message from Post room: Letter from the council",
        id="other kind",
    ),
    pytest.param(
        ("email", "inbound", Counterpart("A name that nobody would ever really use, Ltd"), "X", ""),
        "Email from A name that nobody would ever really…: X",
        id="a long party name is cut to leave room",
    ),
    pytest.param(
        (
            "sms",
            "inbound",
            Counterpart("田中太郎"),
            "",
            "明日の会議は午後三時からに変更になりました。" * 4,
        ),
        "SMS from 田中太郎: "
        + ("明日の会議は午後三時からに変更になりました。" * 4)[
            : 80 - len("SMS from 田中太郎: ") - 1
        ]
        + "…",
        id="japanese cut between characters",
    ),
    pytest.param(
        ("email", "inbound", JANE, "Re:   Payment\treceived \n  thanks", ""),
        "Email from Jane Doe: Payment received thanks",
        id="whitespace collapsed",
    ),
]


@pytest.mark.parametrize(("arguments", "expected"), EXAMPLES)
def test_realistic_interactions_are_named(
    arguments: tuple[str, str, Counterpart, str, str], expected: str
) -> None:
    assert describe(*arguments) == expected
    assert len(expected) <= 80


def test_an_accent_written_as_a_combining_mark_counts_once() -> None:
    decomposed = "Re: Cafe\u0301 re\u0301union"
    assert describe("email", "inbound", JANE, decomposed, "") == "Email from Jane Doe: Café réunion"


def test_a_cut_never_separates_a_letter_from_its_accent() -> None:
    text = "e\u0301" * 100  # no composed form is assumed here: truncate takes text as given
    cut = truncate(text, 20)
    assert cut.endswith("…")
    assert not unicodedata.combining(text[len(cut) - 1])


def test_a_cut_never_splits_an_emoji_family_or_a_flag() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert truncate(family * 5, 12) == family + "…"
    flags = "🇬🇧🇫🇷🇩🇪"
    assert truncate(flags, 4) == "🇬🇧…"
    assert truncate("👍🏽" * 10, 4) == "👍🏽…"


def test_a_word_is_cut_only_when_no_space_is_near_the_end() -> None:
    assert truncate("Invoice 2231 is overdue since March", 20) == "Invoice 2231 is…"
    assert truncate("Supercalifragilisticexpialidocious", 10) == "Supercali…"
    assert truncate("anything", 1) == "…"


@pytest.mark.parametrize(
    ("subject", "stripped"),
    [
        ("Re: Re: RE: Hello", "Hello"),
        ("Fwd: FW: Hello", "Hello"),
        ("AW: WG: Hallo", "Hallo"),
        ("TR : RE : Bonjour", "Bonjour"),
        ("Re[2]: Hello", "Hello"),
        ("Reminder: rent due", "Reminder: rent due"),
        ("Trip: Paris", "Trip: Paris"),
        ("Re:", ""),
    ],
)
def test_reply_and_forward_prefixes_are_stripped(subject: str, stripped: str) -> None:
    assert strip_reply_prefixes(subject) == stripped


@pytest.mark.parametrize(
    ("kind", "direction", "party", "head"),
    [
        ("email", "inbound", Counterpart(), "Email received"),
        ("email", "outbound", Counterpart(), "Email sent"),
        ("email", "internal", JANE, "Email with Jane Doe"),
        ("sms", "inbound", Counterpart(address="+447700900123"), "SMS from +447700900123"),
        ("whatsapp", "outbound", JANE, "WhatsApp to Jane Doe"),
        ("call", "outbound", Counterpart(), "Call made"),
        ("meeting", "inbound", Counterpart(), "Meeting"),
        ("note", "outbound", JANE, "Note"),
        ("other", "outbound", Counterpart(), "Message sent"),
    ],
)
def test_the_head_says_kind_direction_and_party(
    kind: str, direction: str, party: Counterpart, head: str
) -> None:
    assert describe(kind, direction, party, "", "") == head


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("fax", "inbound", JANE, "", ""), "kind"),
        (("email", "up", JANE, "", ""), "direction"),
    ],
)
def test_an_unknown_kind_or_direction_is_refused(
    arguments: tuple[str, str, Counterpart, str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        describe(*arguments)
    assert e.value.field == field


@pytest.mark.parametrize("bad", [0, -3, True, 2.5])
def test_max_length_must_be_a_positive_whole_number(bad: object) -> None:
    with pytest.raises(ValidationError) as e:
        describe("email", "inbound", JANE, "Hello", "", max_length=bad)  # type: ignore[arg-type]
    assert e.value.field == "max_length"


# Text as mail really holds it, and anything else Unicode has.
PIECES = st.sampled_from(
    [
        *("Re:", "Fwd:", "AW:", "Hi Jane,", "Kind regards,", "> quoted", "--", "\n", "\n\n"),
        *("Invoice", "2231", "überfällig", "façade", "東京", "😀", "👨\u200d👩\u200d👧", "🇬🇧"),
        *("e\u0301", "\u0301", "\u200d", " ", "\t", "\x00", "\u202e", "Tel: +44 20 7946 0958"),
    ]
)
TEXT = st.one_of(
    st.text(max_size=300), st.lists(PIECES | st.text(max_size=6), max_size=60).map("".join)
)


@given(
    kind=st.sampled_from(InteractionKind),
    direction=st.sampled_from(Direction),
    name=TEXT,
    address=TEXT,
    subject=TEXT,
    body=TEXT,
    max_length=st.integers(min_value=1, max_value=120),
)
def test_any_content_gives_one_short_tidy_line_every_time(
    kind: InteractionKind,
    direction: Direction,
    name: str,
    address: str,
    subject: str,
    body: str,
    max_length: int,
) -> None:
    party = Counterpart(name, address)
    described = describe(kind, direction, party, subject, body, max_length)
    assert 1 <= len(described) <= max_length
    assert described == describe(kind, direction, party, subject, body, max_length)
    assert described == described.strip()
    assert not any(unicodedata.category(c) == "Cc" for c in described)


@given(text=TEXT, limit=st.integers(min_value=1, max_value=100))
def test_truncate_keeps_a_prefix_and_cuts_only_between_clusters(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    assert len(cut) <= limit
    if cut == text:
        return
    kept = cut.removesuffix("…")
    assert cut.endswith("…")
    assert text.startswith(kept)
    assert unicodedata.category(text[len(kept)])[0] != "M"


def test_the_examples_in_the_docstrings_hold() -> None:
    assert doctest.testmod(naming, raise_on_error=True).failed == 0
