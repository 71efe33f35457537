"""Pages and sort orders, the same for every list of every aggregate.

A list is asked for with a sort spec (``["-updated_at", "subject"]``), a page
number and a page size; every store answers with a ``Page``. ``ordered`` is
the one ordering rule every store's SQL must reproduce: each field compared
on its value, missing values last in either direction, ties by id.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from functools import cmp_to_key
from typing import Any, Generic, TypeVar

import attrs

from contactlog_core.domain.shared import validation as check
from contactlog_core.errors import ValidationError

__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "MAX_SORT_FIELDS",
    "Page",
    "SortField",
    "ordered",
    "page_number",
    "page_of",
    "page_size",
    "parse_sort",
    "sort_keys",
    "whole_number",
]

T = TypeVar("T")
K = TypeVar("K", bound=StrEnum)
R = TypeVar("R")

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000_000
"""The highest page number a list accepts: far beyond any real list, below any overflow."""
MAX_SORT_FIELDS = 4


@attrs.frozen
class SortField(Generic[K]):
    key: K
    descending: bool = False


def parse_sort(spec: object, keys: type[K], default: Sequence[str]) -> tuple[SortField[K], ...]:
    """``["-updated_at", "subject"]`` as sort fields; a leading ``-`` means descending."""
    if spec is None:
        spec = default
    if isinstance(spec, str):
        spec = [spec]
    if not isinstance(spec, Sequence) or not spec or len(spec) > MAX_SORT_FIELDS:
        raise ValidationError(
            "sort", f"expected 1 to {MAX_SORT_FIELDS} column names such as '-updated_at'"
        )
    fields = []
    for item in spec:
        if not isinstance(item, str):
            raise ValidationError("sort", f"expected a column name, got {item!r:.40}")
        name = item.removeprefix("-")
        fields.append(SortField(check.choice(name, keys, "sort"), descending=item.startswith("-")))
    if len({f.key for f in fields}) != len(fields):
        raise ValidationError("sort", "a column appears twice")
    return tuple(fields)


def whole_number(value: object, field: str, top: int) -> int:
    """``value`` if it is an int from 1 to ``top``, else ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise ValidationError(field, f"expected a whole number from 1 to {top}, got {value!r:.40}")
    return value


def page_number(value: object) -> int:
    """A requested page number: a whole number from 1 to ``MAX_PAGE``."""
    return whole_number(value, "page", MAX_PAGE)


def page_size(value: object) -> int:
    """A requested page size: a whole number from 1 to ``MAX_PER_PAGE``."""
    return whole_number(value, "per_page", MAX_PER_PAGE)


@attrs.frozen
class Page(Generic[T]):
    """One page of results: ``items`` and where they sit among ``total`` matches."""

    items: tuple[T, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def sort_keys(sorts: type[K], **read: Callable[[Any], Any]) -> dict[K, Callable[[Any], Any]]:
    """How ``ordered`` reads each field of ``sorts`` from a row.

    A field named in ``read`` is read by its function there (a folded name, a
    rank); any other is the row's attribute of the field's name, as it is.
    """
    unknown = read.keys() - {field.value for field in sorts}
    if unknown:
        raise ValueError(f"not fields of {sorts.__name__}: {', '.join(sorted(unknown))}")
    return {field: read.get(field.value) or operator.attrgetter(field.value) for field in sorts}


def ordered(
    rows: list[R],
    sort: Sequence[SortField[Any]],
    keys: Mapping[Any, Callable[[R], Any]],
    row_id: Callable[[R], str],
) -> list[R]:
    """``rows`` in ``sort`` order, each field read by ``keys``, the stores' rule for every list."""

    # Missing values sort last in either direction; ties go by id, in the last field's direction.
    def compare(a: R, b: R) -> int:
        for field in sort:
            va, vb = keys[field.key](a), keys[field.key](b)
            if va == vb:
                continue
            if va is None or vb is None:
                return 1 if va is None else -1
            order = -1 if va < vb else 1
            return -order if field.descending else order
        ia, ib = row_id(a), row_id(b)
        order = (ia > ib) - (ia < ib)
        return -order if sort[-1].descending else order

    return sorted(rows, key=cmp_to_key(compare))


def page_of(rows: list[R], page: int, per_page: int) -> Page[R]:
    """Page ``page`` of ``rows``, ``per_page`` to a page."""
    start = (page - 1) * per_page
    return Page(
        items=tuple(rows[start : start + per_page]), total=len(rows), page=page, per_page=per_page
    )
