"""The queries answered over entities in memory: the reference every store must match.

The memory store answers with these functions; the SQL of a database store
must give the same rows in the same order (a differential test checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from pendulum import DateTime

from contactlog_core._moved import moved_attribute
from contactlog_core.domain.logs.model import ContactLog, LogStatus
from contactlog_core.domain.logs.queries import (
    BadgeCounts,
    Badges,
    FollowUpQuery,
    FollowUpRow,
    FollowUpSort,
    LogQuery,
    LogSort,
    LogSummary,
)
from contactlog_core.domain.organisations.model import Staff, StaffId
from contactlog_core.domain.shared.paging import Page, ordered, page_of, sort_keys
from contactlog_core.domain.shared.text import fold, name_matches, sortable_name

__all__ = [
    "Due",
    "badges",
    "due_window",
    "follow_up_page",
    "is_mine",
    "log_page",
    "summary",
]

R = TypeVar("R")

# How each list sorts: a field not named here by the row's attribute of its name.
_LOG_KEYS = sort_keys(
    LogSort,
    subject=lambda r: fold(r.subject),
    owner_name=lambda r: sortable_name(r.owner_name),
)
_FOLLOW_UP_KEYS = sort_keys(
    FollowUpSort,
    priority=lambda r: r.priority.rank,
    assignee=lambda r: sortable_name(r.assignee_name),
    log_subject=lambda r: fold(r.log_subject),
)


def summary(log: ContactLog, owner_name: str | None) -> LogSummary:
    """The list row of ``log``."""
    outstanding = [f.due_at for f in log.outstanding_follow_ups]
    return LogSummary(
        id=log.id,
        subject=log.subject,
        status=log.status,
        priority=log.priority,
        channel=log.channel,
        contact_name=None if log.contact is None else log.contact.display_name,
        owner=log.owner,
        owner_name=owner_name,
        created_at=log.created_at,
        updated_at=log.updated_at,
        next_due_at=min(outstanding) if outstanding else None,
        version=log.version,
    )


def log_page(
    query: LogQuery, logs: Iterable[ContactLog], staff: Mapping[str, Staff]
) -> Page[LogSummary]:
    """The page of logs ``query`` asks for, from all of an organisation's logs."""
    rows = []
    for log in logs:
        if log.org_id != query.org_id or (query.statuses and log.status not in query.statuses):
            continue
        owner = None if log.owner is None else staff.get(log.owner)
        if query.owner_terms and (owner is None or not name_matches(owner.name, query.owner_terms)):
            continue
        rows.append(summary(log, None if owner is None else owner.name))
    return page_of(ordered(rows, query.sort, _LOG_KEYS, lambda r: r.id), query.page, query.per_page)


def follow_up_page(
    query: FollowUpQuery, logs: Iterable[ContactLog], staff: Mapping[str, Staff]
) -> Page[FollowUpRow]:
    """The page of outstanding follow-ups ``query`` asks for."""
    rows = []
    for log in logs:
        if log.org_id != query.org_id:
            continue
        for f in log.outstanding_follow_ups:
            if query.mine_of is not None and not is_mine(
                f.assigned_to, f.forward_to, log.owner, query.mine_of
            ):
                continue
            overdue = f.due_at < query.now
            if query.overdue_only and not overdue:
                continue
            if query.due_from is not None and f.due_at < query.due_from:
                continue
            if query.due_before is not None and f.due_at >= query.due_before:
                continue
            assignee = None if f.assigned_to is None else staff.get(f.assigned_to)
            rows.append(
                FollowUpRow(
                    id=f.id,
                    log_id=log.id,
                    log_subject=log.subject,
                    due_at=f.due_at,
                    reason=f.reason,
                    priority=f.priority,
                    assigned_to=f.assigned_to,
                    assignee_name=None if assignee is None else assignee.name,
                    forward_to=f.forward_to,
                    overdue=overdue,
                )
            )
    in_order = ordered(rows, query.sort, _FOLLOW_UP_KEYS, lambda r: r.id)
    return page_of(in_order, query.page, query.per_page)


def badges(logs: Iterable[ContactLog], me: StaffId) -> Badges:
    """Badge counts over one organisation's logs, for it and for ``me``."""
    org = {"open": 0, "in_progress": 0, "follow_ups": 0}
    mine = dict(org)
    for log in logs:
        if log.status is LogStatus.OPEN:
            org["open"] += 1
            mine["open"] += log.created_by == me
        elif log.status is LogStatus.IN_PROGRESS:
            org["in_progress"] += 1
            mine["in_progress"] += log.owner == me
        for f in log.outstanding_follow_ups:
            org["follow_ups"] += 1
            mine["follow_ups"] += is_mine(f.assigned_to, f.forward_to, log.owner, me)
    return Badges(organisation=BadgeCounts(**org), mine=BadgeCounts(**mine))


def is_mine(assigned_to: str | None, forward_to: str | None, owner: str | None, me: str) -> bool:
    """A follow-up is someone's when assigned or forwarded to them, or unassigned on a log they hold."""
    return me in (assigned_to, forward_to) or (assigned_to is None and owner == me)


class Due(StrEnum):
    """Windows of the follow-up views, read on the organisation's calendar."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"


def due_window(due: Due, now: DateTime, timezone: str) -> tuple[DateTime | None, DateTime | None]:
    """``[from, before)`` of due instants for ``due`` as of ``now`` in ``timezone``.

    Today is the local calendar day (so a follow-up at 00:30 local time is
    today there, whatever the server's zone), this week runs from Monday
    00:00 local to the next Monday, overdue is anything before ``now``.

    >>> import pendulum
    >>> now = pendulum.datetime(2026, 11, 23, 23, 45, tz="UTC")
    >>> start, end = due_window(Due.TODAY, now, "Asia/Tokyo")
    >>> start.isoformat(), end.isoformat()
    ('2026-11-24T00:00:00+09:00', '2026-11-25T00:00:00+09:00')
    """
    if due is Due.OVERDUE:
        return None, now
    local = now.in_timezone(timezone)
    start = local.start_of("day" if due is Due.TODAY else "week")
    return start, start.add(days=1 if due is Due.TODAY else 7)


if not TYPE_CHECKING:  # type checkers see the names where they are now

    def __getattr__(name: str) -> object:
        # The names of the old module of this path, for one release (see ``_moved``).
        return moved_attribute(__name__, name)
