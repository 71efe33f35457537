"""Auto-naming: a short description of an interaction from its kind, party and content.

>>> describe("email", "inbound", Counterpart("Jane Doe"), "RE: Fwd: Invoice 2231 overdue", "")
'Email from Jane Doe: Invoice 2231 overdue'
>>> describe("call", "outbound", Counterpart("Jane Doe"), "", "")
'Call with Jane Doe'

The head ("Email from Jane Doe") is English whatever the content's language;
the content is the subject without reply and forward prefixes, else the
first meaningful line the sender wrote (greetings, quotes and signatures
removed by ``clean_interaction_text``). The result is deterministic and at
most ``max_length`` characters, cut at a word boundary with "…" and never
inside a character and its combining marks.
"""

from __future__ import annotations

import re
import unicodedata

from contactlog_core.domain.interactions.model import (
    MAX_DESCRIPTION,
    Counterpart,
    Direction,
    InteractionKind,
)
from contactlog_core.domain.interactions.tagging.cleaning import clean_interaction_text
from contactlog_core.domain.shared import validation as check
from contactlog_core.errors import ValidationError

__all__ = ["ELLIPSIS", "describe", "first_line", "strip_reply_prefixes", "truncate"]

ELLIPSIS = "…"
MAX_WHO = 40  # a long name or address is cut so the content keeps some room
MIN_CONTENT = 12  # below this much room, a cut content says too little: the head alone
_ZWJ = "\u200d"
_TRAILING = " ,;:-\u2013\u2014"  # what a cut text should not end with (dashes included)
_INBOUND, _OUTBOUND, _INTERNAL = Direction.INBOUND, Direction.OUTBOUND, Direction.INTERNAL

# Reply and forward markers of English, German, French, Nordic, Dutch, Italian and
# Portuguese mail clients, with an optional counter ("Re[2]:", "AW (3):"); removed
# however often they repeat.
_PREFIX = re.compile(
    r"(?:re|fwd?|aw|wg|tr|sv|vs|antw|rif|enc)[ \t]*(?:\[\d{1,4}\]|\(\d{1,4}\))?[ \t]*:[ \t]*",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's "Cc" category


def _message(label: str, received: str, sent: str) -> dict[Direction, tuple[str, str]]:
    return {
        _INBOUND: (f"{label} from", f"{label} {received}"),
        _OUTBOUND: (f"{label} to", f"{label} {sent}"),
        _INTERNAL: (f"{label} with", label),
    }


def _with(label: str) -> dict[Direction, tuple[str, str]]:
    return dict.fromkeys(Direction, (f"{label} with", label))


# The head for each kind and direction: (before a party's name, when no party is known).
_HEADS: dict[InteractionKind, dict[Direction, tuple[str, str]]] = {
    InteractionKind.EMAIL: _message("Email", "received", "sent"),
    InteractionKind.SMS: _message("SMS", "received", "sent"),
    InteractionKind.WHATSAPP: _message("WhatsApp", "received", "sent"),
    InteractionKind.OTHER: _message("Message", "received", "sent"),
    InteractionKind.CALL: {
        **_with("Call"),
        _INBOUND: ("Call with", "Call received"),
        _OUTBOUND: ("Call with", "Call made"),
    },
    InteractionKind.MEETING: _with("Meeting"),
    InteractionKind.NOTE: dict.fromkeys(Direction, ("Note", "Note")),
}


def describe(
    kind: InteractionKind | str,
    direction: Direction | str,
    counterpart: Counterpart,
    subject: str,
    body: str,
    max_length: int = MAX_DESCRIPTION,
) -> str:
    """The description of an interaction, at most ``max_length`` characters.

    >>> describe("sms", "outbound", Counterpart(address="+44 7700 900123"), "", "Running late")
    'SMS to +44 7700 900123: Running late'
    >>> describe("email", "outbound", Counterpart(), "", "Hi Jane,\\n\\nThe quote is attached.")
    'Email sent: The quote is attached.'
    >>> describe("note", "internal", Counterpart("Jane Doe"), "", "")
    'Note'
    """
    kind = check.choice(kind, InteractionKind, "kind")
    direction = check.choice(direction, Direction, "direction")
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        raise ValidationError("max_length", f"expected a whole number from 1, got {max_length!r}")
    head = _head(kind, direction, counterpart)
    if len(head) >= max_length:
        return truncate(head, max_length)
    content = _capitalised(strip_reply_prefixes(_tidy(subject)) or first_line(body))
    room = max_length - len(head) - 2  # for ": "
    if not content or (room < MIN_CONTENT and len(content) > room):
        return head
    return f"{head}: {truncate(content, room)}"


def _head(kind: InteractionKind, direction: Direction, counterpart: Counterpart) -> str:
    before_party, alone = _HEADS[kind][direction]
    if kind is InteractionKind.NOTE:
        return alone
    who = _tidy(counterpart.name) or _tidy(counterpart.address)
    return f"{before_party} {truncate(who, MAX_WHO)}" if who else alone


def strip_reply_prefixes(subject: str) -> str:
    """``subject`` without its leading "Re:", "Fwd:", "AW:", "WG:", "TR:"... however many.

    >>> strip_reply_prefixes("AW: WG: Re[2]: Angebot Dachsanierung")
    'Angebot Dachsanierung'
    """
    end = 0
    while match := _PREFIX.match(subject, end):
        end = match.end()
    return subject[end:].strip()


def first_line(body: str) -> str:
    """The first line of ``body`` the sender wrote that says something, tidied.

    A line says something when it holds a letter, a digit or an emoji: not
    a rule of dashes, nor what is left of a removed phone number.
    """
    for line in clean_interaction_text(body).split("\n"):
        tidy = strip_reply_prefixes(_tidy(line)).strip(" ;:,")
        if any(c.isalnum() or _is_emoji(c) for c in tidy):
            return tidy
    return ""


def _is_emoji(c: str) -> bool:
    cp = ord(c)
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF  # pictographs, dingbats


def _capitalised(content: str) -> str:
    # "vielen Dank..." after a dropped greeting reads as "Vielen Dank..."; "iPhone" stays.
    if content[:1].islower() and not content[1:2].isupper():
        return content[0].upper() + content[1:]
    return content


def _tidy(text: str) -> str:
    # NFC first, so "e" + U+0301 counts as one character; control characters go,
    # and every run of whitespace becomes one space.
    composed = unicodedata.normalize("NFC", text)
    return " ".join(_CONTROL.sub(" ", composed).split())


def truncate(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word boundary with "…".

    >>> truncate("Invoice 2231 is overdue since March", 20)
    'Invoice 2231 is…'

    A text with no space in its second half (a long word, Chinese or Japanese)
    is cut between characters; never between a character and what joins it
    (combining marks, variation selectors, emoji modifiers and joiners).
    """
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    space = text.rfind(" ", 0, room + 1)
    cut = space if space > room // 2 else _cluster_start(text, room)
    return text[:cut].rstrip(_TRAILING) + ELLIPSIS


def _joins_previous(c: str) -> bool:
    cp = ord(c)
    return (
        unicodedata.category(c) in ("Mn", "Mc", "Me")
        or c == _ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= cp <= 0xE007F  # emoji tag characters (subdivision flags)
        or 0xE0100 <= cp <= 0xE01EF  # variation selectors supplement
        or 0x1160 <= cp <= 0x11FF  # Hangul medial vowels and final consonants
    )


def _is_regional(c: str) -> bool:
    return 0x1F1E6 <= ord(c) <= 0x1F1FF


def _cluster_start(text: str, index: int) -> int:
    """The greatest cut point at or before ``index`` that splits no character cluster."""
    while index > 0 and (_joins_previous(text[index]) or text[index - 1] == _ZWJ):
        index -= 1
    if index > 0 and _is_regional(text[index]):
        # Flags are pairs of regional indicators: never cut a pair in two.
        start = index
        while start > 0 and _is_regional(text[start - 1]):
            start -= 1
        index -= (index - start) % 2
    return index
