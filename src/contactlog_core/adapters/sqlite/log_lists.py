"""The log list, badges and open follow-ups in SQL: one statement per question, indexed.

Filters and sort orders vary per call, so the statement is put together from
fixed fragments chosen from the whitelists below; values are always bound
parameters. The rules (folding, missing values last, ties by id in the last
field's direction) are those of ``domain.logs.query_rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contactlog_core.adapters.sqlite.db import Database
from contactlog_core.adapters.sqlite.paging import order_by
from contactlog_core.domain.logs.model import (
    Channel,
    LogStatus,
    Priority,
)
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
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared.paging import Page
from contactlog_core.instants import from_micros, to_micros

__all__ = ["LogLists", "badge_counts", "follow_up_page", "log_page"]

LOG_COUNTS_OF_ORG = "SELECT status, n FROM log_counts WHERE org_id = ?"

SUM_LOG_COUNTS = "SELECT coalesce(sum(n), 0) FROM log_counts WHERE org_id = ?"

COUNT_MY_OPEN_LOGS = (
    "SELECT count(*) FROM logs WHERE org_id = ? AND created_by = ? AND status = 'OPEN'"
)

COUNT_MY_HELD_LOGS = (
    "SELECT count(*) FROM logs WHERE org_id = ? AND owner = ? AND status = 'IN_PROGRESS'"
)

COUNT_OPEN_FOLLOW_UPS = "SELECT coalesce(sum(n), 0) FROM follow_up_counts WHERE org_id = ?"

# One's own outstanding follow-ups, in three disjoint parts, each served by an index:
# assigned to me; forwarded to me (assigned to someone else or no one); unassigned and
# not forwarded to me, on a log I hold. Parameters: org, me, org, me, me, org, me, me.
MY_OPEN_FOLLOW_UP_IDS = """
SELECT f.id FROM follow_ups f WHERE f.org_id = ? AND f.open = 1 AND f.assigned_to = ?
UNION ALL
SELECT f.id FROM follow_ups f
 WHERE f.org_id = ? AND f.open = 1 AND f.forward_to = ? AND f.assigned_to IS NOT ?
UNION ALL
SELECT f.id FROM follow_ups f
 WHERE f.org_id = ? AND f.open = 1 AND f.assigned_to IS NULL AND f.holder = ?
   AND f.forward_to IS NOT ?
"""

COUNT_MY_OPEN_FOLLOW_UPS = "SELECT count(*) FROM (" + MY_OPEN_FOLLOW_UP_IDS + ")"


# Sort key -> (column, may be NULL).
_LOG_COLUMNS: dict[LogSort, tuple[str, bool]] = {
    LogSort.SUBJECT: ("l.subject_key", False),
    LogSort.STATUS: ("l.status", False),
    LogSort.OWNER_NAME: ("l.owner_key", True),
    LogSort.CREATED_AT: ("l.created_at", False),
    LogSort.UPDATED_AT: ("l.updated_at", False),
    LogSort.NEXT_DUE_AT: ("l.next_due_at", True),
}
_FOLLOW_UP_COLUMNS: dict[FollowUpSort, tuple[str, bool]] = {
    FollowUpSort.DUE_AT: ("f.due_at", False),
    FollowUpSort.PRIORITY: (
        "CASE f.priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END",
        False,
    ),
    FollowUpSort.ASSIGNEE: ("a.name_key", True),
    FollowUpSort.LOG_SUBJECT: ("l.subject_key", False),
}

LOG_ROWS = """
SELECT l.id, l.subject, l.status, l.priority, l.channel, l.contact_name, l.owner,
       o.name AS owner_name, l.created_at, l.updated_at, l.next_due_at, l.version
  FROM logs l LEFT JOIN staff o ON o.id = l.owner
"""
LOG_COUNT = "SELECT count(*) FROM logs l"
FOLLOW_UP_ROWS = """
SELECT f.id, f.log_id, l.subject AS log_subject, f.due_at, f.reason, f.priority,
       f.assigned_to, a.name AS assignee_name, f.forward_to
  FROM follow_ups f JOIN logs l ON l.id = f.log_id LEFT JOIN staff a ON a.id = f.assigned_to
"""
FOLLOW_UP_COUNT = "SELECT count(*) FROM follow_ups f"


class LogLists:
    """The log repository's questions of its lists, answered in SQL: ``SqliteLogs`` has them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, query: LogQuery) -> Page[LogSummary]:
        return log_page(self._db, query)

    def badges(self, org_id: OrgId, staff_id: StaffId) -> Badges:
        return badge_counts(self._db, org_id, staff_id)

    def follow_ups(self, query: FollowUpQuery) -> Page[FollowUpRow]:
        return follow_up_page(self._db, query)


def _log_filter(query: LogQuery) -> tuple[str, list[Any]]:
    where, params = ["l.org_id = ?"], list[Any]([query.org_id])
    if query.statuses:
        statuses = sorted(query.statuses)
        where.append(f"l.status IN ({', '.join('?' * len(statuses))})")
        params.extend(statuses)
    if query.owner_terms:
        # Staff of one organisation are few: find the matching owners, then their logs.
        matches = " AND ".join("instr(s.name_key, ?) > 0" for _ in query.owner_terms)
        where.append(f"l.owner IN (SELECT s.id FROM staff s WHERE s.org_id = ? AND {matches})")
        params.append(query.org_id)
        params.extend(" " + term for term in query.owner_terms)
    return " WHERE " + " AND ".join(where), params


def _log_total(db: Database, query: LogQuery, where: str, params: list[Any]) -> int:
    if query.owner_terms:
        return _count(db, LOG_COUNT + where, params)
    # Without an owner search the kept counts answer: a few rows, not an index walk.
    statuses = sorted(query.statuses)
    in_statuses = f" AND status IN ({', '.join('?' * len(statuses))})" if statuses else ""
    return _count(db, SUM_LOG_COUNTS + in_statuses, [query.org_id, *statuses])


def log_page(db: Database, query: LogQuery) -> Page[LogSummary]:
    where, params = _log_filter(query)
    total = _log_total(db, query, where, params)
    rows = db.all(
        LOG_ROWS + where + order_by(query.sort, _LOG_COLUMNS, "l.id") + " LIMIT ? OFFSET ?",
        [*params, query.per_page, (query.page - 1) * query.per_page],
    )
    items = tuple(
        LogSummary(
            id=r["id"],
            subject=r["subject"],
            status=LogStatus(r["status"]),
            priority=Priority(r["priority"]),
            channel=Channel(r["channel"]),
            contact_name=r["contact_name"],
            owner=r["owner"],
            owner_name=r["owner_name"],
            created_at=from_micros(r["created_at"]),
            updated_at=from_micros(r["updated_at"]),
            next_due_at=None if r["next_due_at"] is None else from_micros(r["next_due_at"]),
            version=r["version"],
        )
        for r in rows
    )
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def _follow_up_filter(query: FollowUpQuery) -> tuple[str, list[Any]]:
    where, params = ["f.org_id = ?", "f.open = 1"], list[Any]([query.org_id])
    if query.mine_of is not None:
        where.append(f"f.id IN ({MY_OPEN_FOLLOW_UP_IDS})")
        params.extend(_my_follow_up_params(query.org_id, query.mine_of))
    if query.overdue_only:
        where.append("f.due_at < ?")
        params.append(to_micros(query.now))
    if query.due_from is not None:
        where.append("f.due_at >= ?")
        params.append(to_micros(query.due_from))
    if query.due_before is not None:
        where.append("f.due_at < ?")
        params.append(to_micros(query.due_before))
    return " WHERE " + " AND ".join(where), params


def follow_up_page(db: Database, query: FollowUpQuery) -> Page[FollowUpRow]:
    where, params = _follow_up_filter(query)
    total = _count(db, FOLLOW_UP_COUNT + where, params)
    rows = db.all(
        FOLLOW_UP_ROWS
        + where
        + order_by(query.sort, _FOLLOW_UP_COLUMNS, "f.id")
        + " LIMIT ? OFFSET ?",
        [*params, query.per_page, (query.page - 1) * query.per_page],
    )
    now = to_micros(query.now)
    items = tuple(
        FollowUpRow(
            id=r["id"],
            log_id=r["log_id"],
            log_subject=r["log_subject"],
            due_at=from_micros(r["due_at"]),
            reason=r["reason"],
            priority=Priority(r["priority"]),
            assigned_to=r["assigned_to"],
            assignee_name=r["assignee_name"],
            forward_to=r["forward_to"],
            overdue=r["due_at"] < now,
        )
        for r in rows
    )
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def badge_counts(db: Database, org_id: OrgId, me: StaffId) -> Badges:
    by_status: dict[str, int] = {row[0]: row[1] for row in db.all(LOG_COUNTS_OF_ORG, (org_id,))}
    organisation = BadgeCounts(
        open=by_status.get(LogStatus.OPEN.value, 0),
        in_progress=by_status.get(LogStatus.IN_PROGRESS.value, 0),
        follow_ups=_count(db, COUNT_OPEN_FOLLOW_UPS, (org_id,)),
    )
    mine = BadgeCounts(
        open=_count(db, COUNT_MY_OPEN_LOGS, (org_id, me)),
        in_progress=_count(db, COUNT_MY_HELD_LOGS, (org_id, me)),
        follow_ups=_count(db, COUNT_MY_OPEN_FOLLOW_UPS, _my_follow_up_params(org_id, me)),
    )
    return Badges(organisation=organisation, mine=mine)


def _my_follow_up_params(org_id: str, me: str) -> list[str]:
    return [org_id, me, org_id, me, me, org_id, me, me]


def _count(db: Database, sql: str, params: Sequence[Any] | dict[str, Any]) -> int:
    row = db.run(sql, params).fetchone()
    return int(row[0]) if row else 0
