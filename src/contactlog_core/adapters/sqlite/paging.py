"""The ``ORDER BY`` every list shares: ``domain.shared.paging.ordered``, in SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contactlog_core.domain.shared.paging import SortField

__all__ = ["order_by"]


def order_by(
    sort: Sequence[SortField[Any]], columns: Mapping[Any, tuple[str, bool]], id_column: str
) -> str:
    """An ``ORDER BY`` clause from whitelisted columns: missing values last, then the id."""
    terms = []
    for field in sort:
        column, nullable = columns[field.key]
        # NULLS LAST (SQLite >= 3.30) keeps an index on the column usable for the order.
        last = " NULLS LAST" if nullable else ""
        terms.append(f"{column} {'DESC' if field.descending else 'ASC'}{last}")
    terms.append(f"{id_column} {'DESC' if sort[-1].descending else 'ASC'}")
    return " ORDER BY " + ", ".join(terms)
