"""The interaction queries answered over interactions in memory: the reference every store matches.

The memory store answers with these functions; the SQL of a database store
must give the same interactions in the same order (a differential test
checks it): each sort key compared on its value, missing values last in
either direction, ties by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.domain.interactions.queries import (
    MAX_COUNT,
    InteractionPage,
    InteractionQuery,
    InteractionSort,
)
from contactlog_core.domain.interactions.search import matches
from contactlog_core.domain.shared.paging import SortField, ordered
from contactlog_core.domain.shared.text import fold, name_key

__all__ = [
    "SORT_KEYS",
    "counterpart_key",
    "description_key",
    "interaction_page",
    "page_from",
    "sort_interactions",
    "wanted",
]


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
