"""Cleaning interaction content before tagging: keep what the sender wrote, drop the rest.

Mail and chat content carries text nobody would search for: mail headers,
quoted replies, greetings, sign-offs, signatures, links, e-mail addresses and
phone or card numbers. ``clean_interaction_text`` removes them line by
line, so it runs in time linear in the length of the text. Every pattern is
case-insensitive and bounded (no unbounded backtracking on hostile input).
"""

from __future__ import annotations

import re
from enum import Enum, auto

__all__ = ["clean_interaction_text"]

_IC = re.IGNORECASE
_BREAK = " ; "  # what a removed span becomes: punctuation, so no phrase runs across it

_NEWLINES = re.compile(r"\r\n?")
_SPACES = re.compile(r"[^\S\n]+")  # any run of whitespace but a line break
_SUBJECT = re.compile(r"[ \t]*(?:subject|betreff|objet)[ \t]*:[ \t]*", _IC)
_HEADER = re.compile(
    r"[ \t]*(?:from|to|cc|bcc|date|sent|reply-to|von|an|gesendet|datum|de|à|envoyé)"
    r"[ \t]*:",
    _IC,
)
_QUOTED_HEADER = re.compile(r"[ \t]*(?:from|von|de)[ \t]*:", _IC)
_QUOTE = re.compile(r"[ \t]*>")
_REPLY = re.compile(
    r".{0,300}\b(?:wrote|schrieb|a écrit)[ \t]*:[ \t]*$"
    r"|[ \t]*-{2,}[ \t]*(?:original message|ursprüngliche nachricht|message d'origine)"
    r"|[ \t]*_{8,}[ \t]*$",
    _IC,
)
_REPLY_OPENER = re.compile(r"[ \t]*(?:on|am|le)\b", _IC)
_FORWARD = re.compile(
    r"[ \t]*-{2,}[ \t]*(?:forwarded message|weitergeleitete nachricht|message transféré)"
    r"|[ \t]*begin forwarded message",
    _IC,
)
_SIGNATURE = re.compile(
    r"[ \t]*--[ \t]*$|[ \t]*(?:tel|phone|mobile|mob|fax|web|e-?mail)\.?[ \t]*:", _IC
)
_MOBILE = re.compile(
    r"[ \t]*(?:sent from my|get outlook for|von meinem\b.{0,40}\bgesendet|envoyé de mon)", _IC
)
_VALEDICTIONS = (
    r"(?:(?:kind|best|warm|warmest|many|with)[ \t]+)?(?:regards|wishes|thanks)"
    r"|best|all the best|thank you|thx|cheers|sincerely|yours(?:[ \t]+(?:sincerely|faithfully|truly))?"
    r"|take care|talk soon|speak soon"
    r"|(?:mit[ \t]+)?(?:freundlichen|freundliche|viele|beste|liebe|herzliche|schöne)[ \t]+gr(?:ü|ue)(?:ß|ss)(?:en|e)"
    r"|gr(?:ü|ue)(?:ß|ss)e|gru(?:ß|ss)|lg|vg|mfg|danke|vielen dank"
    r"|(?:bien[ \t]+)?cordialement|bien à vous|(?:meilleures[ \t]+)?salutations|bonne journée"
    r"|merci(?:[ \t]+beaucoup)?|amitiés|bises|à bientôt"
)
_NAME_TAIL = (
    r"(?:[ \t]*[,.!]*[ \t]*(?!for\b|to\b|so\b|in\b|on\b|again\b)[^\W\d_][\w.'-]{0,30}){0,3}"
)
_VALEDICTION_LINE = re.compile(rf"[ \t]*(?:{_VALEDICTIONS})\b{_NAME_TAIL}[ \t,.!]*$", _IC)
_VALEDICTION_END = re.compile(
    rf"(?:^|(?<=[.!?;\n]))[ \t]*(?:{_VALEDICTIONS})\b{_NAME_TAIL}[\s,.!]*\Z", _IC | re.MULTILINE
)
# A bare name closing a message ("... be there at 10! Jo", "- Anna Smith").
_NAME_END = re.compile(
    r"(?:(?<=[.!?] )|(?<=\n))(?:- ?)?[^\W\d_][\w'-]{0,30}(?: [^\W\d_][\w'-]{0,30})? ?x?\Z"
)
_GREETING = re.compile(
    r"^[ \t]*(?:hi|hello|hey|hiya|dear|greetings|good[ \t]+(?:morning|afternoon|evening)"
    r"|hallo|liebe|lieber|sehr[ \t]+geehrte[rs]?|guten[ \t]+(?:morgen|tag|abend)|moin|servus"
    r"|bonjour|bonsoir|salut|cher|chère|madame|monsieur)\b"
    r"(?:[ \t]+[^\W\d_][\w.'-]{0,30}){0,4}?[ \t]*(?:[,:;!.]|$) ?\n?",
    _IC | re.MULTILINE,
)
_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", _IC)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}")
_TLDS = r"(?:com|org|net|edu|gov|io|co|uk|de|fr|ch|at|eu|info|biz)\b"
_TLD = re.compile(rf"\.{_TLDS}", _IC)
_DOMAIN = re.compile(rf"(?<![\w.-])(?:[\w-]{{1,63}}\.){{1,8}}{_TLDS}", _IC)
# Phone, account and card numbers: at least seven digits, maybe split by spaces,
# dots, dashes, slashes or brackets. Short numbers ("invoice 2231") stay. A
# leading "+" or "(" left behind is punctuation, harmless to the tagger.
_NUMBER = re.compile(r"\d[\d \t().\-/]{4,40}\d")
_VALEDICTION_REACH = 200  # a trailing sign-off and name fit in this many characters
_LONG_DIGITS = 7


class _Line(Enum):
    TEXT = auto()
    BLANK = auto()
    SUBJECT = auto()
    HEADER = auto()
    QUOTED_HEADER = auto()
    QUOTE = auto()
    REPLY = auto()
    FORWARD = auto()
    SIGNATURE = auto()
    DROP = auto()


# First match wins: a reply marker is checked before the header it may look like.
_CLASSES: tuple[tuple[re.Pattern[str], _Line], ...] = (
    (_QUOTE, _Line.QUOTE),
    (_FORWARD, _Line.FORWARD),
    (_REPLY, _Line.REPLY),
    (_SUBJECT, _Line.SUBJECT),
    (_QUOTED_HEADER, _Line.QUOTED_HEADER),
    (_HEADER, _Line.HEADER),
    (_SIGNATURE, _Line.SIGNATURE),
    (_VALEDICTION_LINE, _Line.SIGNATURE),
    (_MOBILE, _Line.DROP),
)


def _classify(line: str) -> _Line:
    if not line or line.isspace():
        return _Line.BLANK
    for pattern, kind in _CLASSES:
        if pattern.match(line):
            return kind
    return _Line.TEXT


def _body_lines(lines: list[str]) -> list[str]:
    """The lines the sender wrote: headers, quotes and everything after a sign-off dropped."""
    kept: list[str] = []
    in_headers = True  # at the top, or just after a forwarded-message marker
    for line in lines:
        kind = _classify(line)
        if kind is _Line.QUOTED_HEADER and in_headers:
            kind = _Line.HEADER
        if kind in (_Line.REPLY, _Line.QUOTED_HEADER, _Line.SIGNATURE):
            if kind is _Line.REPLY and kept and _REPLY_OPENER.match(kept[-1]):
                kept.pop()  # "On Mon, 3 June, Jo <" wrapped before "jo@x.org> wrote:"
            break
        if kind is _Line.SUBJECT:
            kept.append(_SUBJECT.sub("", line, count=1))
        elif kind is _Line.TEXT or (kind is _Line.HEADER and not in_headers):
            kept.append(line)
            in_headers = False
        in_headers = in_headers or kind is _Line.FORWARD
    return kept


def _drop_long_number(match: re.Match[str]) -> str:
    span = match.group()
    return _BREAK if sum(ch.isdigit() for ch in span) >= _LONG_DIGITS else span


def _drop_links(body: str) -> str:
    # Cheap substring checks first: the patterns are costly to scan with.
    lowered = body.lower()
    if "://" in body or "www." in lowered:
        body = _URL.sub(_BREAK, body)
    if "@" in body:
        body = _EMAIL.sub(_BREAK, body)
    if _TLD.search(body):
        body = _DOMAIN.sub(_BREAK, body)
    return body


def clean_interaction_text(text: str) -> str:
    """``text`` without headers, quoted replies, greetings, sign-offs, links and long numbers.

    What is left is what the sender wrote, with removed spans turned into
    punctuation so no phrase is joined across them. Case is kept.

    >>> clean_interaction_text("Hi John,\\nInvoice 2231 is overdue.\\n\\nKind regards,\\nAnna")
    'Invoice 2231 is overdue.'
    """
    # One space for every run and none at either end of a line, so no pattern depends on
    # how a line was spaced or indented (a closing name is found after a line break).
    spaced = _SPACES.sub(" ", _NEWLINES.sub("\n", text))
    lines = [line.strip(" ") for line in spaced.split("\n")]
    body = _GREETING.sub("", "\n".join(_body_lines(lines)))
    body = _drop_links(body).rstrip()
    sign_off = _VALEDICTION_END.search(body, max(0, len(body) - _VALEDICTION_REACH))
    if sign_off:
        body = body[: sign_off.start()].rstrip()
    name = _NAME_END.search(body, max(0, len(body) - _VALEDICTION_REACH))
    if name:
        body = body[: name.start()]
    return _NUMBER.sub(_drop_long_number, body).strip()
