"""``app.logs``: the contact-log use cases, each one unit of work.

Load, ask the pure domain, save with the version read, append the audit
event, commit. The rules themselves live in ``domain.logs.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pendulum import DateTime

from contactlog_core.application.context import Context, Records
from contactlog_core.application.reminders import enqueue_reminders
from contactlog_core.domain.logs import commands
from contactlog_core.domain.logs.model import (
    Channel,
    ContactLog,
    ContactRef,
    FollowUpDraft,
    FollowUpId,
    LogId,
    LogStatus,
    Priority,
)
from contactlog_core.domain.logs.queries import (
    Badges,
    FollowUpQuery,
    FollowUpRow,
    FollowUpSort,
    LogQuery,
    LogSort,
    LogSummary,
)
from contactlog_core.domain.logs.query_rules import Due, due_window
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.paging import (
    DEFAULT_PER_PAGE,
    Page,
    page_number,
    page_size,
    parse_sort,
)
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.domain.shared.text import search_terms
from contactlog_core.errors import ValidationError
from contactlog_core.ports import UnitOfWork

__all__ = ["LogService"]

# (log, actor, now, policy) -> change: the shape of a transition bound to its arguments.
_Decide = Callable[[ContactLog, Actor, DateTime, Policy], Change[ContactLog]]


def _log_id(value: object) -> LogId:
    return LogId(check.identifier(value, "log_id"))


LOGS: Records[ContactLog] = Records(
    entity="log", repository=lambda uow: uow.logs, key=_log_id, saved=enqueue_reminders
)
"""Logs as the use cases change them; every save plans the log's reminders."""


class LogService:
    """Record, lock, hand over, amend and close contact logs."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def record(
        self,
        actor: Actor,
        *,
        subject: str,
        contact: ContactRef | None = None,
        channel: Channel | str = Channel.PHONE,
        notes: str = "",
        priority: Priority | str = Priority.NORMAL,
        follow_up: FollowUpDraft | None = None,
        follow_ups: Sequence[FollowUpDraft] = (),
    ) -> ContactLog:
        """Record a contact; the new log is ``IN_PROGRESS`` and locked to ``actor``."""
        drafts = [*([] if follow_up is None else [follow_up]), *_sequence(follow_ups, "follow_ups")]

        def decide(uow: UnitOfWork, me: Actor, now: DateTime) -> Change[ContactLog]:
            for draft in drafts:
                self._check_assignees(uow, me, draft)
            return commands.record(
                log_id=LogId(self._ctx.ids()),
                actor=me,
                now=now,
                contact=contact,
                subject=subject,
                channel=channel,
                notes=notes,
                priority=priority,
                follow_ups=[
                    commands.new_follow_up(FollowUpId(self._ctx.ids()), d, now) for d in drafts
                ],
            )

        return self._ctx.create(actor, LOGS, decide)

    def get(self, actor: Actor, log_id: str) -> ContactLog:
        """One log of ``actor``'s organisation, or ``NotFound``."""
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return uow.logs.get(me.org_id, _log_id(log_id))

    def list(
        self,
        actor: Actor,
        *,
        status: LogStatus | str | Iterable[LogStatus | str] | None = None,
        owner_name: str | None = None,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[LogSummary]:
        """A page of ``actor``'s organisation's logs, newest change first by default.

        ``status`` filters by one status or several; ``owner_name`` matches as one
        types (each word a case- and accent-insensitive prefix of a word of the
        owner's name); ``sort`` names columns of ``LogSort``, ``-`` for descending.
        """
        statuses = _statuses(status)
        terms = search_terms(owner_name, "owner_name")
        order = parse_sort(sort, LogSort, ["-updated_at"])
        page, per_page = page_number(page), page_size(per_page)
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            query = LogQuery(me.org_id, statuses, terms, order, page, per_page)
            return uow.logs.list(query)

    def badges(self, actor: Actor) -> Badges:
        """Open logs, in-progress logs and outstanding follow-ups: the organisation's and ``actor``'s."""
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return uow.logs.badges(me.org_id, me.staff_id)

    def follow_ups(
        self,
        actor: Actor,
        *,
        mine: bool = False,
        overdue_only: bool = False,
        due: Due | str | None = None,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[FollowUpRow]:
        """Outstanding follow-ups (not done, on logs not completed), soonest due first.

        ``mine`` keeps ``actor``'s own (assigned or forwarded to them, or unassigned
        on a log they hold: what the "mine" badge counts); ``overdue_only``
        those due before now; ``due`` those due ``"today"`` or ``"this_week"``
        on the organisation's calendar, or ``"overdue"``. ``sort`` names
        columns of ``FollowUpSort``.
        """
        window = None if due is None else check.choice(due, Due, "due")
        order = parse_sort(sort, FollowUpSort, ["due_at"])
        page, per_page = page_number(page), page_size(per_page)
        for flag, value in (("mine", mine), ("overdue_only", overdue_only)):
            if not isinstance(value, bool):
                raise ValidationError(flag, f"expected True or False, got {value!r:.40}")
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            now = self._ctx.clock.now()
            due_from, due_before = (None, None)
            if window is not None:
                zone = uow.organisations.get(me.org_id).timezone
                due_from, due_before = due_window(window, now, zone)
            query = FollowUpQuery(
                org_id=me.org_id,
                now=now,
                mine_of=me.staff_id if mine else None,
                overdue_only=overdue_only,
                due_from=due_from,
                due_before=due_before,
                sort=order,
                page=page,
                per_page=per_page,
            )
            return uow.logs.follow_ups(query)

    def take(self, actor: Actor, log_id: str) -> ContactLog:
        """Lock an ``OPEN`` log; ``LockedByOther`` names the holder of a held one."""
        return self._run(actor, log_id, commands.take)

    def force_take(self, actor: Actor, log_id: str) -> ContactLog:
        """Take a log from a holder whose role ``actor`` outranks."""

        def decide(
            uow: UnitOfWork, log: ContactLog, me: Actor, now: DateTime
        ) -> Change[ContactLog]:
            holder = self._ctx.role_of(uow, log.org_id, log.owner)
            return commands.force_take(log, me, now, self._ctx.policy, holder_role=holder or "")

        return self._ctx.change(actor, LOGS, log_id, decide)

    def assign(self, actor: Actor, log_id: str, assignee_id: str) -> ContactLog:
        """Hand the lock to a colleague: allowed to whoever could lock the log now."""

        def decide(
            uow: UnitOfWork, log: ContactLog, me: Actor, now: DateTime
        ) -> Change[ContactLog]:
            assignee = self._ctx.staff_of(uow, me.org_id, assignee_id)
            holder = self._ctx.role_of(uow, log.org_id, log.owner)
            return commands.assign(
                log, me, now, self._ctx.policy, assignee=assignee, holder_role=holder
            )

        return self._ctx.change(actor, LOGS, log_id, decide)

    def surrender(self, actor: Actor, log_id: str) -> ContactLog:
        """Release the lock; the log is ``OPEN`` for anyone to take."""
        return self._run(actor, log_id, commands.surrender)

    def amend(self, actor: Actor, log_id: str, **fields: Any) -> ContactLog:
        """Change subject, notes, priority, channel or contact of a log ``actor`` holds."""
        return self._run(
            actor, log_id, lambda log, me, now, p: commands.amend(log, me, now, p, **fields)
        )

    def complete(self, actor: Actor, log_id: str) -> ContactLog:
        """Close a log ``actor`` holds; its follow-ups stop being outstanding."""
        return self._run(actor, log_id, commands.complete)

    def reopen(self, actor: Actor, log_id: str) -> ContactLog:
        """Bring a completed log back, locked to ``actor`` (needs ``reopen_log``)."""
        return self._run(actor, log_id, commands.reopen)

    def add_follow_up(self, actor: Actor, log_id: str, follow_up: FollowUpDraft) -> ContactLog:
        """Add a follow-up to a log ``actor`` holds."""

        def decide(
            uow: UnitOfWork, log: ContactLog, me: Actor, now: DateTime
        ) -> Change[ContactLog]:
            self._check_assignees(uow, me, follow_up)
            new = commands.new_follow_up(FollowUpId(self._ctx.ids()), follow_up, now)
            return commands.add_follow_up(log, me, now, self._ctx.policy, new)

        return self._ctx.change(actor, LOGS, log_id, decide)

    def reschedule_follow_up(
        self, actor: Actor, log_id: str, follow_up_id: str, due_at: DateTime
    ) -> ContactLog:
        """Move an outstanding follow-up to a new due date (not in the past)."""
        return self._run(
            actor,
            log_id,
            lambda log, me, now, p: commands.reschedule_follow_up(
                log, me, now, p, follow_up_id, due_at
            ),
        )

    def complete_follow_up(self, actor: Actor, log_id: str, follow_up_id: str) -> ContactLog:
        """Mark an outstanding follow-up done."""
        return self._run(
            actor,
            log_id,
            lambda log, me, now, p: commands.complete_follow_up(log, me, now, p, follow_up_id),
        )

    def _run(self, actor: Actor, log_id: str, decide: _Decide) -> ContactLog:
        return self._ctx.change(
            actor, LOGS, log_id, lambda _uow, log, me, now: decide(log, me, now, self._ctx.policy)
        )

    def _check_assignees(self, uow: UnitOfWork, me: Actor, draft: FollowUpDraft) -> None:
        # Follow-up people must be colleagues: another organisation's staff do not exist here.
        if not isinstance(draft, FollowUpDraft):
            raise ValidationError(
                "follow_up", f"expected a FollowUpDraft, got {type(draft).__name__}"
            )
        for person in (draft.assigned_to, draft.forward_to):
            if person is not None:
                self._ctx.staff_of(uow, me.org_id, person)


def _statuses(value: object) -> frozenset[LogStatus]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise ValidationError("status", f"expected a status or a list of them, got {value!r:.40}")
    return frozenset(check.choice(v, LogStatus, "status") for v in value)


def _sequence(value: object, field: str) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValidationError(field, f"expected a list, got {type(value).__name__}")
    return list(value)
