"""Questions asked of the logs: list pages, badges, open follow-ups; values and rules only.

Both stores answer them; the rules for matching and ordering live here so
that the answers agree to the row: names match by folded word prefixes, and
each sort key is compared on its folded value, missing values last in either
direction, ties broken by id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import Generic, TypeVar

import attrs
from pendulum import DateTime

from contactlog_core.domain import validation as check
from contactlog_core.domain.logs import Channel, FollowUpId, LogId, LogStatus, Priority
from contactlog_core.domain.organisations import OrgId, StaffId
from contactlog_core.errors import ValidationError

__all__ = [
    "BadgeCounts",
    "Badges",
    "FollowUpQuery",
    "FollowUpRow",
    "FollowUpSort",
    "LogQuery",
    "LogSort",
    "LogSummary",
    "Page",
    "SortField",
    "fold",
    "name_key",
    "name_words",
    "parse_sort",
    "search_terms",
    "whole_number",
]

T = TypeVar("T")
K = TypeVar("K", bound=StrEnum)

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_SORT_FIELDS = 4
MAX_SEARCH_TERMS = 5
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``"Élodie"`` and ``"ELODIE"`` both fold to ``"elodie"``."""
    if text.isascii():
        # Nothing to decompose, and ASCII casefolds as it lowercases: the common case, fast.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_words(name: str) -> list[str]:
    """The folded words of a name, each of which a search prefix may match."""
    return _WORD.findall(fold(name))


def name_key(name: str) -> str:
    """A name as stored for matching and sorting: its folded words, each after a space.

    ``" " + term`` found in it means ``term`` starts one of the words.
    """
    return "".join(" " + word for word in name_words(name))


class LogSort(StrEnum):
    """Columns a log list sorts by."""

    SUBJECT = "subject"
    STATUS = "status"
    OWNER_NAME = "owner_name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    NEXT_DUE_AT = "next_due_at"


class FollowUpSort(StrEnum):
    """Columns the open follow-ups list sorts by."""

    DUE_AT = "due_at"
    PRIORITY = "priority"
    ASSIGNEE = "assignee"
    LOG_SUBJECT = "log_subject"


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


def search_terms(text: object, field: str) -> tuple[str, ...]:
    """The folded words of an as-you-type search; empty text means no filter."""
    if text is None:
        return ()
    words = name_words(check.text(text, field, max_length=200, required=False))
    if len(words) > MAX_SEARCH_TERMS:
        raise ValidationError(field, f"at most {MAX_SEARCH_TERMS} words")
    return tuple(words)


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


@attrs.frozen
class LogQuery:
    """Which logs of ``org_id``, in which order, which page.

    ``owner_terms`` are folded word prefixes; a log matches when each term is
    the start of some word of its owner's name.
    """

    org_id: OrgId
    statuses: frozenset[LogStatus] = frozenset()
    owner_terms: tuple[str, ...] = ()
    sort: tuple[SortField[LogSort], ...] = (SortField(LogSort.UPDATED_AT, descending=True),)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@attrs.frozen
class LogSummary:
    """A row of the log list."""

    id: LogId
    subject: str
    status: LogStatus
    priority: Priority
    channel: Channel
    contact_name: str | None
    owner: StaffId | None
    owner_name: str | None
    created_at: DateTime
    updated_at: DateTime
    next_due_at: DateTime | None
    version: int


@attrs.frozen
class BadgeCounts:
    """Open logs, in-progress logs, outstanding follow-ups, and their sum."""

    open: int
    in_progress: int
    follow_ups: int

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.follow_ups


@attrs.frozen
class Badges:
    """Counts for the whole organisation and for one staff member.

    Theirs: open logs they recorded, logs they hold, and outstanding follow-ups
    assigned or forwarded to them (or unassigned, on a log they hold).
    """

    organisation: BadgeCounts
    mine: BadgeCounts


@attrs.frozen
class FollowUpQuery:
    """Outstanding follow-ups of ``org_id``: not done, on a log that is not completed.

    With ``mine_of``, only that staff member's own, as the "mine" badge counts them;
    with ``due_from`` / ``due_before``, only those due in ``[due_from, due_before)``.
    """

    org_id: OrgId
    now: DateTime
    mine_of: StaffId | None = None
    overdue_only: bool = False
    due_from: DateTime | None = None
    due_before: DateTime | None = None
    sort: tuple[SortField[FollowUpSort], ...] = (SortField(FollowUpSort.DUE_AT),)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@attrs.frozen
class FollowUpRow:
    """A row of the open follow-ups list; ``overdue`` when due before the query's ``now``."""

    id: FollowUpId
    log_id: LogId
    log_subject: str
    due_at: DateTime
    reason: str
    priority: Priority
    assigned_to: StaffId | None
    assignee_name: str | None
    forward_to: StaffId | None
    overdue: bool
