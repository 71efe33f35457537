"""Searching interactions as one types: the safe query, the reference matcher and order.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

import attrs

from contactlog_core.domain.interactions.model import Interaction, InteractionKind
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.domain.shared.paging import DEFAULT_PER_PAGE, SortField, ordered, parse_sort
from contactlog_core.domain.shared.text import fold, name_key
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_timezone

__all__ = [
    "DEFAULT_SORT",
    "MAX_COUNT",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_WORDS",
    "MAX_WORD_LENGTH",
    "SORT_KEYS",
    "InteractionPage",
    "InteractionQuery",
    "InteractionSort",
    "SearchQuery",
    "counterpart_key",
    "date_words",
    "description_key",
    "interaction_page",
    "matches",
    "page_from",
    "parse_interaction_sort",
    "parse_search",
    "searchable_words",
    "sort_interactions",
    "text_words",
    "wanted",
]

MAX_QUERY_WORDS = 20
MAX_WORD_LENGTH = 100
MAX_QUERY_LENGTH = 100_000  # characters of query text; 20 words never need more
DEFAULT_SORT = ("-occurred_at",)
MAX_COUNT = 200  # matches counted for a page; beyond, "more than 200"

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


class InteractionSort(StrEnum):
    """Columns an interaction list sorts by."""

    OCCURRED_AT = "occurred_at"
    KIND = "kind"
    DESCRIPTION = "description"
    COUNTERPART = "counterpart"
    CAPTURED_AT = "captured_at"


def parse_interaction_sort(spec: object) -> tuple[SortField[InteractionSort], ...]:
    """``["-occurred_at"]`` (the default, for ``None``) as sort fields."""
    return parse_sort(spec, InteractionSort, DEFAULT_SORT)


def description_key(interaction: Interaction) -> str | None:
    """The description as it sorts: folded; ``None`` (last) when empty, as once redacted."""
    return fold(interaction.description) or None


def counterpart_key(interaction: Interaction) -> str | None:
    """The other party as it sorts: its name's words, else its address's; ``None`` if neither.

    ``name_key``, as staff names sort in the log list (``" jane doe"``).
    """
    party = interaction.counterpart
    return name_key(party.name) or name_key(party.address) or None


SORT_KEYS: dict[InteractionSort, Callable[[Interaction], Any]] = {
    InteractionSort.OCCURRED_AT: lambda i: i.occurred_at,
    InteractionSort.KIND: lambda i: i.kind.value,
    InteractionSort.DESCRIPTION: description_key,
    InteractionSort.COUNTERPART: counterpart_key,
    InteractionSort.CAPTURED_AT: lambda i: i.captured_at,
}
"""Each column's sort key; ``None`` sorts last in either direction."""


def sort_interactions(
    interactions: Iterable[Interaction], sort: Sequence[SortField[InteractionSort]]
) -> list[Interaction]:
    """The reference order: each sort field in turn, then id in the last field's direction.

    Missing keys (``None``) come last whatever the direction, as in the log list.
    """
    return ordered(list(interactions), sort, SORT_KEYS, lambda i: i.id)


@attrs.frozen
class InteractionQuery:
    """Which interactions of ``org_id``, in which order, which page.

    ``search`` narrows to matching ones (dates read in ``timezone``, the
    organisation's); ``client_id`` to one client's; ``kinds`` to those kinds.
    ``group_by_kind`` sorts by kind before ``sort``, so each kind's
    interactions come together.
    """

    org_id: OrgId
    search: SearchQuery | None = None
    timezone: str = "UTC"
    client_id: str | None = None
    kinds: frozenset[InteractionKind] = frozenset()
    sort: tuple[SortField[InteractionSort], ...] = (
        SortField(InteractionSort.OCCURRED_AT, descending=True),
    )
    group_by_kind: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @property
    def order(self) -> tuple[SortField[InteractionSort], ...]:
        """``sort``, after the kind when grouped by kind."""
        if not self.group_by_kind:
            return self.sort
        return (SortField(InteractionSort.KIND), *self.sort)


@attrs.frozen
class InteractionPage:
    """One page of interactions, and whether more follow.

    As one types, counting every match of a common word would cost more
    than finding the page, so ``total`` counts at most ``MAX_COUNT``
    matches: ``total_is_exact`` is False when there are more.
    """

    items: tuple[Interaction, ...]
    page: int
    per_page: int
    has_next: bool
    total: int
    total_is_exact: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def wanted(query: InteractionQuery, interaction: Interaction) -> bool:
    """True when ``interaction`` is one ``query`` asks for, whatever the page."""
    return (
        interaction.org_id == query.org_id
        and (query.client_id is None or interaction.client.id == query.client_id)
        and (not query.kinds or interaction.kind in query.kinds)
        and (query.search is None or matches(interaction, query.search, query.timezone))
    )


def interaction_page(
    query: InteractionQuery, interactions: Iterable[Interaction]
) -> InteractionPage:
    """The page ``query`` asks for: the in-memory reference every store must match."""
    found = sort_interactions((i for i in interactions if wanted(query, i)), query.order)
    return page_from(query, found)


def page_from(query: InteractionQuery, ordered_matches: Sequence[Interaction]) -> InteractionPage:
    """The page of ``query`` among all its matches, in order."""
    start = (query.page - 1) * query.per_page
    end = start + query.per_page
    return InteractionPage(
        items=tuple(ordered_matches[start:end]),
        page=query.page,
        per_page=query.per_page,
        has_next=len(ordered_matches) > end,
        total=min(len(ordered_matches), MAX_COUNT),
        total_is_exact=len(ordered_matches) <= MAX_COUNT,
    )
