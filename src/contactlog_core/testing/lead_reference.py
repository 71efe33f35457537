"""A small reference model of sales leads and their aging, written straight from docs/rules.md ("Sales leads").

Deliberately independent of ``domain.leads.aging`` and ``domain.leads.rules``: days
are counted with pendulum's own calendar arithmetic (``add(days=n)`` on the
local wall clock) or a plain day-by-day loop over business days, and the
commands are plain ``if``s over a tiny record. ``LeadMachine`` compares the
library with this second, simpler reading of the same rules; a unit test
ties the decisions here to ``LEAD_RULES``.

Wall times that the clocks skip or repeat are where two honest readings of
"n days later" part ways (the library documents its choice in
``aging.add_days``). This model does not copy that choice: it says, with
``clear_of_dst_changes``, which instants stay away from it, and the machine
only ever touches or schedules a lead at such instants.

>>> import pendulum
>>> touched = pendulum.datetime(2026, 3, 28, 10, tz="Europe/London")
>>> lead = RefLead(owner="ann", follow_up_at=None, last_touch_at=touched)
>>> ref_status(lead, touched.add(hours=47), "Europe/London", AgingPolicy()).value
'PAST_DUE'
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Mapping

import attrs
import pendulum
from pendulum import DateTime

from contactlog_core.domain.leads.model import LeadStatus
from contactlog_core.domain.organisations.aging_policy import AgingPolicy, DayCount
from contactlog_core.errors import (
    ContactLogError,
    InvalidTransition,
    LockedByOther,
    PermissionDenied,
)

__all__ = [
    "BANK",
    "WORKABLE",
    "RefLead",
    "clear_of_dst_changes",
    "ref_add",
    "ref_add_days",
    "ref_deadlines",
    "ref_outcome",
    "ref_owner",
    "ref_status",
]

S = LeadStatus
WORKABLE = frozenset({S.NOT_SCHEDULED, S.SCHEDULED, S.MISSED, S.PAST_DUE, S.ABANDONED})
"""Statuses in which the owner (and, for a touch, anyone) may work a lead."""
BANK = frozenset({S.ABANDONED, S.AVAILABLE})
"""Statuses in which anyone may claim a lead: the lead bank."""


@attrs.frozen
class RefLead:
    """What the reference model keeps of a lead: its facts, never a status."""

    owner: str | None
    follow_up_at: DateTime | None
    last_touch_at: DateTime
    archived: bool = False


# Days ------------------------------------------------------------------------------------------


def _counts(day: dt.date, policy: AgingPolicy) -> bool:
    if policy.days != DayCount.BUSINESS:
        return True
    return day.weekday() not in policy.weekend and day not in policy.holidays


def _next_counted(day: dt.date, policy: AgingPolicy) -> dt.date:
    day += dt.timedelta(days=1)
    while not _counts(day, policy):
        day += dt.timedelta(days=1)
    return day


def _wall_after(wall: DateTime, n: int, policy: AgingPolicy) -> DateTime:
    """The naive wall time ``n`` days after the naive wall time ``wall``."""
    if policy.days != DayCount.BUSINESS:
        return wall.add(days=n)
    day: dt.date = wall.date()
    time: dt.time = wall.time()
    if not _counts(day, policy):
        # Starting on a day off counts from the first moment of the next business day.
        day, time = _next_counted(day, policy), dt.time()
    for _ in range(n):
        day = _next_counted(day, policy)
    return pendulum.naive(
        day.year, day.month, day.day, time.hour, time.minute, time.second, time.microsecond
    )


def _wall(instant: DateTime, zone: str) -> DateTime:
    return instant.in_timezone(zone).naive()


def _instant(wall: DateTime, zone: str) -> DateTime:
    local = pendulum.datetime(
        wall.year,
        wall.month,
        wall.day,
        wall.hour,
        wall.minute,
        wall.second,
        wall.microsecond,
        tz=zone,
    )
    return local.in_timezone("UTC")


def ref_add_days(start: DateTime, n: int, zone: str, policy: AgingPolicy) -> DateTime:
    """``n`` calendar (or business) days after ``start`` on ``zone``'s wall clock, in UTC."""
    return _instant(_wall_after(_wall(start, zone), n, policy), zone)


def _one_instant(wall: DateTime, zone: str) -> bool:
    """True when the wall time is neither skipped nor repeated by the zone's clocks."""
    plain = dt.datetime(*wall.timetuple()[:6], wall.microsecond, tzinfo=zoneinfo.ZoneInfo(zone))
    return plain.utcoffset() == plain.replace(fold=1).utcoffset()


def clear_of_dst_changes(instant: DateTime, zone: str, policy: AgingPolicy) -> bool:
    """True when ``instant`` and its past-due, abandoned and available deadlines are plain.

    That is: each of their wall times names exactly one instant, so every
    reading of "n days later" agrees on them.
    """
    start = _wall(instant, zone)
    abandoned = _wall_after(start, policy.abandoned_after, policy)
    walls = (
        start,
        _wall_after(start, policy.past_due_after, policy),
        abandoned,
        _wall_after(abandoned, policy.available_after, policy),
    )
    return all(_one_instant(wall, zone) for wall in walls)


# Status ----------------------------------------------------------------------------------------


def ref_deadlines(
    lead: RefLead, now: DateTime, zone: str, policy: AgingPolicy
) -> tuple[DateTime, ...]:
    """The instants at which the lead's status changes next, earliest first (none if archived)."""
    if lead.archived:
        return ()
    if lead.follow_up_at is not None and lead.follow_up_at > now:
        # Scheduled: it ages from its follow-up once that passes.
        start = lead.follow_up_at
        return (start, *_aging_deadlines(max(start, lead.last_touch_at), zone, policy))
    start = lead.last_touch_at
    if lead.follow_up_at is not None:
        start = max(start, lead.follow_up_at)
    return _aging_deadlines(start, zone, policy)


# Pure, and asked again and again for the same lead by a state machine: worth remembering.
@functools.lru_cache(maxsize=4_096)
def _aging_deadlines(start: DateTime, zone: str, policy: AgingPolicy) -> tuple[DateTime, ...]:
    abandoned = ref_add_days(start, policy.abandoned_after, zone, policy)
    return (
        ref_add_days(start, policy.past_due_after, zone, policy),
        abandoned,
        ref_add_days(abandoned, policy.available_after, zone, policy),
    )


def ref_status(lead: RefLead, now: DateTime, zone: str, policy: AgingPolicy) -> LeadStatus:
    """The lead's status at ``now``, from its facts alone."""
    if lead.archived:
        return S.ARCHIVED
    if lead.follow_up_at is not None and lead.follow_up_at > now:
        return S.SCHEDULED
    past_due, abandoned, available = ref_deadlines(lead, now, zone, policy)
    if now >= available:
        return S.AVAILABLE
    if now >= abandoned:
        return S.ABANDONED
    if now >= past_due:
        return S.PAST_DUE
    return S.NOT_SCHEDULED if lead.follow_up_at is None else S.MISSED


def ref_owner(lead: RefLead, now: DateTime, zone: str, policy: AgingPolicy) -> str | None:
    """Who owns the lead at ``now``: nobody once it is available."""
    return None if ref_status(lead, now, zone, policy) is S.AVAILABLE else lead.owner


# Commands --------------------------------------------------------------------------------------


def ref_add(
    actor: str, now: DateTime, *, assignee: str | None = None, follow_up_at: DateTime | None = None
) -> RefLead:
    """A new lead: the assignee's, else its creator's; touched now."""
    return RefLead(owner=assignee or actor, follow_up_at=follow_up_at, last_touch_at=now)


def ref_outcome(
    command: str,
    lead: RefLead,
    actor: str,
    *,
    now: DateTime,
    zone: str,
    policy: AgingPolicy,
    ranks: Mapping[str, int],
    may_reactivate: bool,
    assignee: str | None = None,
    at: DateTime | None = None,
) -> RefLead | type[ContactLogError]:
    """The lead after ``command`` by ``actor`` at ``now``, or the error class the library raises.

    ``ranks`` gives every staff member's rank; ``may_reactivate`` whether the
    actor holds the permission; ``assignee`` and ``at`` are the arguments of
    ``assign`` and ``schedule``.
    """
    status = ref_status(lead, now, zone, policy)
    owner = ref_owner(lead, now, zone, policy)
    lead = attrs.evolve(lead, owner=owner)
    touched = attrs.evolve(lead, last_touch_at=now)
    mine = owner is None or owner == actor
    outranks = owner is not None and ranks[actor] > ranks[owner]
    if command == "reactivate":
        if status is not S.ARCHIVED:
            return InvalidTransition
        return RefLead(actor, None, now) if may_reactivate else PermissionDenied
    if status is S.ARCHIVED:
        return InvalidTransition
    if command == "claim":
        if status in BANK:
            return attrs.evolve(touched, owner=actor)
        return InvalidTransition if mine else LockedByOther
    if command in ("assign", "archive"):
        if not (mine or outranks):
            return LockedByOther
        return attrs.evolve(touched, owner=assignee) if command == "assign" else _archived(lead)
    if status not in WORKABLE or (command == "schedule" and owner is None):
        return InvalidTransition
    if command == "touch":
        return touched
    if command == "schedule":
        return attrs.evolve(touched, follow_up_at=at) if owner == actor else LockedByOther
    raise ValueError(f"the reference model has no command {command!r}")


def _archived(lead: RefLead) -> RefLead:
    # Archiving is not a touch: the facts stay, the clock stops.
    return attrs.evolve(lead, archived=True)
