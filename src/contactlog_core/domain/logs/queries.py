"""Questions asked of the logs, as values: list pages, badges, open follow-ups.

Both stores answer them; ``query_rules`` answers them over entities in
memory, the reference every store's SQL must match to the row.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import attrs
from pendulum import DateTime

from contactlog_core._moved import moved_attribute
from contactlog_core.domain.logs.model import Channel, FollowUpId, LogId, LogStatus, Priority
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared.paging import DEFAULT_PER_PAGE, SortField

__all__ = [
    "BadgeCounts",
    "Badges",
    "FollowUpQuery",
    "FollowUpRow",
    "FollowUpSort",
    "LogQuery",
    "LogSort",
    "LogSummary",
]


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


if not TYPE_CHECKING:  # type checkers see the names where they are now

    def __getattr__(name: str) -> object:
        # The names of the old module of this path, for one release (see ``_moved``).
        return moved_attribute(__name__, name)
