"""Searching interactions as one types: the words an interaction is found by, and the safe query.

Search covers an interaction's description, tags, id and date (docs/rules.md,
"Interactions"). Both sides are cut into *words* by the same rule:

- the text is folded (``domain.shared.text.fold``: compatibility-decomposed, accents
  removed, casefolded);
- a word is a run of letters, digits and the marks folding keeps (Unicode
  categories L*, N*, M*: a Devanagari vowel sign stays in its word), except
  that an ISO date such as ``2026-11-23``, ``2026-11`` or one being typed
  (``2026-1``) is one word, hyphens included;
- everything else separates words: punctuation, symbols, emoji, ``_``.

So every word of a query and of an interaction is made of those characters
only, and a store can quote each query word as a literal: no query syntax
survives parsing. A query matches when *every* word of it is a prefix of
some searchable word of the interaction (whole words match too, being their
own prefix): what an FTS5 query of quoted prefix terms (``"inv"* AND "2231"*``)
gives over the same words. A store should index the words
``searchable_words`` gives, not cut the text again by its own rules (SQLite's
tokenizers know an older Unicode and other separators).

Dates are searched in the organisation's time zone: an interaction that
occurred at 23:30 UTC on 23 November is found under ``2026-11-24`` in Tokyo.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from contactlog_core._moved import moved_attribute
from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.domain.shared.text import fold
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_timezone

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_WORDS",
    "MAX_WORD_LENGTH",
    "SearchQuery",
    "date_words",
    "matches",
    "parse_search",
    "searchable_words",
    "text_words",
]

MAX_QUERY_WORDS = 20
MAX_WORD_LENGTH = 100
MAX_QUERY_LENGTH = 100_000  # characters of query text; 20 words never need more

# Runs of anything but a word character or a hyphen ("_" is a \w but not a word character).
_SEPARATORS = re.compile(r"[^\w-]+|_+")
# A date is a whole ISO date or the start of one, not followed by another digit.
_TOKEN = re.compile(r"[0-9]{4}-[0-9]{1,2}(?:-[0-9]{1,2})?(?![0-9])|[^ -]+")


@attrs.frozen
class SearchQuery:
    """The folded words of a search; an interaction matches when each is a prefix of one of its words.

    ``last_is_prefix`` is kept for a stable API and is always True: every
    word, not only the last, is matched as a prefix (see ``matches``).
    """

    words: tuple[str, ...]
    last_is_prefix: bool = True


def _separator(match: re.Match[str]) -> str:
    run = match.group()
    if run.isascii():
        return " "
    # Spacing and enclosing marks belong to their word (Devanagari vowel signs, Thai
    # vowels); combining ones that casefolding brought back are dropped, as fold drops them.
    return "".join(_mark_or_space(c) for c in run)


def _mark_or_space(c: str) -> str:
    if unicodedata.category(c)[0] != "M":
        return " "
    return "" if unicodedata.combining(c) else c


def _words(text: str) -> Iterator[str]:
    # ASCII text folds by casefolding alone: the common case, without fold's per-character loop.
    folded = text.casefold() if text.isascii() else fold(text)
    spaced = _SEPARATORS.sub(_separator, folded)
    return (m.group() for m in _TOKEN.finditer(spaced))


def text_words(text: str) -> tuple[str, ...]:
    """The searchable words of ``text``, in order, repeats included.

    >>> text_words("Email from Jane Doe: Invoice 2231, due 2026-11-23!")
    ('email', 'from', 'jane', 'doe', 'invoice', '2231', 'due', '2026-11-23')
    """
    return tuple(_words(text))


def parse_search(text: object) -> SearchQuery:
    """The query in what someone typed: any text is safe, nothing of it is syntax.

    >>> parse_search('"Invoice" NEAR(2231* OR subject:Élodie) 😀').words
    ('invoice', 'near', '2231', 'or', 'subject', 'elodie')

    Repeated words count once; the first ``MAX_QUERY_WORDS`` are kept, each
    cut to ``MAX_WORD_LENGTH`` characters (a shorter prefix matches more,
    never less). Text that is not ``str``, longer than ``MAX_QUERY_LENGTH``,
    or without a single word raises ``ValidationError("query", ...)``.
    """
    if not isinstance(text, str):
        raise ValidationError("query", f"expected text, got {type(text).__name__}")
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError("query", f"at most {MAX_QUERY_LENGTH} characters, got {len(text)}")
    kept: dict[str, None] = {}
    for word in _words(text):
        kept.setdefault(word[:MAX_WORD_LENGTH], None)
        if len(kept) == MAX_QUERY_WORDS:
            break
    if not kept:
        raise ValidationError("query", "no word to search for (letters or digits)")
    return SearchQuery(words=tuple(kept))


def date_words(interaction: Interaction, timezone: str) -> tuple[str, ...]:
    """When it occurred, as the organisation's calendar says: day, month and year.

    ``("2026-11-23", "2026-11", "2026")``
    """
    zone = _zone(timezone)
    at = interaction.occurred_at
    try:
        # A plain datetime: the standard zone's C conversion does not know pendulum's type.
        plain = dt.datetime(
            at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond
        ) - (at.utcoffset() or dt.timedelta())
        local = zone.fromutc(plain.replace(tzinfo=zone))
    except OverflowError:  # the first and last hours of the calendar have no UTC or local date
        local = at
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    return (day, day[:7], day[:4])


def _zone(name: object) -> dt.tzinfo:
    if not isinstance(name, str):
        require_timezone(name)  # raises the ValidationError, before the cache sees it
    return _known_zone(str(name))


@functools.lru_cache(maxsize=64)
def _known_zone(name: str) -> dt.tzinfo:
    # Loading a zone reads its file: once per name, not once per interaction searched.
    # The standard library's zone converts in C; the name is checked by pendulum's rules.
    return zoneinfo.ZoneInfo(require_timezone(name))


def searchable_words(interaction: Interaction, timezone: str) -> tuple[str, ...]:
    """Every word the interaction is found by, each once: description, tags, id, dates.

    The id counts by its words (``"int-8f3a"`` gives ``"int"`` and ``"8f3a"``),
    cut as a query is, so that typing the id finds it. A redacted interaction
    is found by its id and dates only.
    """
    parts: list[str] = [interaction.id]
    if not interaction.redacted:
        parts = [interaction.description, *interaction.tags, *parts]
    words = [word for part in parts for word in _words(part)]
    return tuple(dict.fromkeys([*words, *date_words(interaction, timezone)]))


def matches(interaction: Interaction, query: SearchQuery, timezone: str) -> bool:
    """True when every word of ``query`` is a prefix of some searchable word of ``interaction``.

    All words are prefix-matched, the last as much as the others, whatever
    ``query.last_is_prefix`` says: "inv 22" finds "Invoice 2231".
    """
    words = searchable_words(interaction, timezone)
    return all(any(word.startswith(term) for word in words) for term in query.words)


if not TYPE_CHECKING:  # type checkers see the names where they are now

    def __getattr__(name: str) -> object:
        # The list query, its sorts and pages were here until they had modules of their
        # own; their names are found there for one release (see ``_moved``).
        return moved_attribute(__name__, name)
