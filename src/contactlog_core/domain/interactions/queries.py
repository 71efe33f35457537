"""Questions asked of the interactions, as values: the list query, its sorts, a page.

Both stores answer them; ``query_rules`` answers them over interactions in
memory, the reference every store must match, page for page. What a search
matches is ``search``'s rule.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from contactlog_core.domain.interactions.model import Interaction, InteractionKind
from contactlog_core.domain.interactions.search import SearchQuery
from contactlog_core.domain.shared.ids import OrgId
from contactlog_core.domain.shared.paging import DEFAULT_PER_PAGE, SortField, parse_sort

__all__ = [
    "DEFAULT_SORT",
    "MAX_COUNT",
    "InteractionPage",
    "InteractionQuery",
    "InteractionSort",
    "parse_interaction_sort",
]

DEFAULT_SORT = ("-occurred_at",)
MAX_COUNT = 200  # matches counted for a page; beyond, "more than 200"


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
