"""How a lead ages (docs/rules.md, "Sales leads"): when it turns past due, abandoned, available.

The rule, as ``age`` (and ``status_by_cutoffs``, its form for a whole table)
applies it, for a lead that is neither archived nor scheduled ahead:

- its *anchor* is the later of its last touch and a follow-up date that has
  passed (``anchor``); any touch by anyone moves it;
- ``past_due_after`` days after the anchor it is ``PAST_DUE`` (2 by default),
  ``abandoned_after`` days after it ``ABANDONED`` (3), and ``available_after``
  days after it was abandoned ``AVAILABLE`` (5 more), with no owner: the lead
  bank's (``settled_as``);
- before its first deadline it is ``MISSED`` if a follow-up date passed, else
  ``NOT_SCHEDULED``.

The day counts are the organisation's ``AgingPolicy`` (defined in
``domain.organisations.aging_policy``, so that an organisation can hold one
without importing leads, and re-exported here). A "day" is a calendar day in
the organisation's time zone, or a business day of its calendar, never a
fixed 24 hours: two days after 10:00 on the Saturday before the clocks go
forward is 10:00 on Monday, 47 real hours later. ``aging_cutoffs`` turns the
rule into plain instant comparisons that a database can evaluate set-based
and that agree with ``age`` lead for lead; the sweep moves a lead with
``commands.sweep_change``
(``commands.age_change`` for one lead).

>>> import pendulum
>>> touched = pendulum.datetime(2026, 3, 28, 10, tz="Europe/London")
>>> add_days(touched, 2, "Europe/London", AgingPolicy()).isoformat()
'2026-03-30T09:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Callable, Mapping

import attrs
from pendulum import DateTime

from contactlog_core.domain.leads.model import Lead, LeadStatus
from contactlog_core.domain.organisations.aging_policy import (
    MAX_DAYS,
    MAX_HOLIDAYS,
    AgingPolicy,
    DayCount,
    holiday_dates,
)
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_aware, require_timezone

__all__ = [
    "MAX_DAYS",
    "MAX_HOLIDAYS",
    "AgingCutoffs",
    "AgingPolicy",
    "DayCount",
    "Deadlines",
    "add_days",
    "age",
    "aging_cutoffs",
    "anchor",
    "available_cutoff",
    "cutoff",
    "deadlines",
    "holiday_dates",
    "settle",
    "settled_as",
    "status_by_cutoffs",
]

_UTC = dt.UTC
_MICROSECOND = dt.timedelta(microseconds=1)
_DAY = dt.timedelta(days=1)


# Day arithmetic -------------------------------------------------------------------------------


def add_days(instant: DateTime, n: int, timezone: str, policy: AgingPolicy) -> DateTime:
    """The deadline ``n`` days after ``instant``, counted in ``timezone``, in UTC.

    Calendar days keep the local wall-clock time (so across a DST change the
    real gap is 23 or 25 hours per change). Business days start counting
    from 00:00 of the next business day when ``instant`` falls on a day off.
    A wall time that the clocks skip becomes the first instant after the
    gap; one they repeat becomes the earlier of its two instants. An instant
    in the repeated hour itself counts as the end of that hour, because its
    wall clock has already been seen once; that keeps deadlines in order
    (a later touch never gets an earlier deadline).
    """
    start = _plain(require_aware(instant, "instant"))
    return _pendulum(_add(start, _days(n), _zone(timezone), policy))


def cutoff(now: DateTime, n: int, timezone: str, policy: AgingPolicy) -> DateTime:
    """The latest start ``a`` (to the microsecond) whose deadline ``add_days(a, n)`` has come.

    So ``add_days(a, n, ...) <= now`` exactly when ``a <= cutoff(now, n, ...)``:
    ``add_days`` never puts a later start's deadline earlier, and the search
    (doubling back from ``now``, then halving) is exact to the microsecond.
    """
    zone, days = _zone(timezone), _days(n)
    return _pendulum(_latest(_now(now), lambda a: _add(a, days, zone, policy)))


def available_cutoff(now: DateTime, timezone: str, policy: AgingPolicy) -> DateTime:
    """The latest anchor whose lead is ``AVAILABLE`` at ``now``.

    That is abandoned (``abandoned_after`` days) and then ``available_after`` more days.
    """
    return _pendulum(_latest(_now(now), _available_deadline(_zone(timezone), policy)))


def _available_deadline(
    zone: zoneinfo.ZoneInfo, policy: AgingPolicy
) -> Callable[[dt.datetime], dt.datetime]:
    def deadline(anchor: dt.datetime) -> dt.datetime:
        abandoned = _add(anchor, policy.abandoned_after, zone, policy)
        return _add(abandoned, policy.available_after, zone, policy)

    return deadline


def _add(start: dt.datetime, n: int, zone: zoneinfo.ZoneInfo, policy: AgingPolicy) -> dt.datetime:
    wall = _wall(start, zone)
    if policy.days is DayCount.BUSINESS:
        return _resolve(_business_days_after(wall, n, policy), zone)
    return _resolve(wall + dt.timedelta(days=n), zone)


def _business_days_after(wall: dt.datetime, n: int, policy: AgingPolicy) -> dt.datetime:
    day, time = wall.date(), wall.time()
    if not policy.is_business_day(day):
        day, time = _next_business_day(day, policy), dt.time()
    for _ in range(n):
        day = _next_business_day(day, policy)
    return dt.datetime.combine(day, time)


def _next_business_day(day: dt.date, policy: AgingPolicy) -> dt.date:
    day += _DAY
    while not policy.is_business_day(day):
        day += _DAY
    return day


def _wall(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The wall-clock time of ``instant``; in the repeated hour's second pass, that hour's end."""
    local = instant.astimezone(zone)
    first, second = _offset(local.replace(fold=0)), _offset(local)
    if local.fold and first != second:
        change = _first_with_offset(instant - (first - second), instant, zone, second)
        return (change + first).replace(tzinfo=None)
    return local.replace(tzinfo=None)


def _resolve(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall time: the earlier if repeated, the gap's end if skipped."""
    before = _offset(wall.replace(tzinfo=zone, fold=0))
    after = _offset(wall.replace(tzinfo=zone, fold=1))
    if before >= after:
        return (wall - before).replace(tzinfo=_UTC)
    skipped_from, skipped_to = (
        (wall - after).replace(tzinfo=_UTC),
        (wall - before).replace(tzinfo=_UTC),
    )
    return _first_with_offset(skipped_from, skipped_to, zone, after)


def _first_with_offset(
    lo: dt.datetime, hi: dt.datetime, zone: zoneinfo.ZoneInfo, offset: dt.timedelta
) -> dt.datetime:
    """The instant of the one offset change in ``(lo, hi]``, where ``hi`` has the new ``offset``."""
    while hi - lo > _MICROSECOND:
        mid = lo + (hi - lo) // 2
        if _offset(mid.astimezone(zone)) == offset:
            hi = mid
        else:
            lo = mid
    return hi


def _offset(local: dt.datetime) -> dt.timedelta:
    offset = local.utcoffset()
    assert offset is not None, "a ZoneInfo always knows its offset"
    return offset


def _latest(now: dt.datetime, deadline: Callable[[dt.datetime], dt.datetime]) -> dt.datetime:
    """The latest ``a`` with ``deadline(a) <= now``, for a non-decreasing ``deadline``."""
    hi, step = now, _DAY
    # With n = 0 a deadline can be its own start: look ahead until it is past ``now``.
    while deadline(hi) <= now:
        hi, step = hi + step, step * 2
    lo, step = hi - _DAY, _DAY
    while deadline(lo) > now:
        hi, step = lo, step * 2
        lo = hi - step
    # Now deadline(lo) <= now < deadline(hi): halve the gap down to one microsecond.
    while hi - lo > _MICROSECOND:
        mid = lo + (hi - lo) // 2
        if deadline(mid) <= now:
            lo = mid
        else:
            hi = mid
    return lo


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(require_timezone(name))


def _days(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_DAYS:
        raise ValidationError("n", f"expected a number of days from 0 to {MAX_DAYS}, got {n!r:.60}")
    return n


def _now(now: object) -> dt.datetime:
    return _plain(require_aware(now, "now"))


def _plain(instant: DateTime) -> dt.datetime:
    # The standard library's own datetime, so that zoneinfo's fold rules apply unaltered.
    return dt.datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        instant.microsecond,
        tzinfo=_UTC,
    )


def _pendulum(instant: dt.datetime) -> DateTime:
    return require_aware(instant, "instant")


# Aging ----------------------------------------------------------------------------------------


@attrs.frozen
class Deadlines:
    """When an aging lead turns ``PAST_DUE``, ``ABANDONED`` and ``AVAILABLE``, from ``anchor``."""

    anchor: DateTime
    past_due_at: DateTime
    abandoned_at: DateTime
    available_at: DateTime


def anchor(lead: Lead, now: DateTime) -> DateTime:
    """Where "untouched" is measured from: the later of the last touch and a passed follow-up.

    A follow-up still in the future does not count (the lead is ``SCHEDULED``).
    """
    now = require_aware(now, "now")
    follow_up = lead.follow_up_at
    if follow_up is not None and follow_up <= now:
        return max(lead.last_touch_at, follow_up)
    return lead.last_touch_at


def deadlines(lead: Lead, now: DateTime, timezone: str, policy: AgingPolicy) -> Deadlines | None:
    """The lead's deadlines as of ``now``; ``None`` while it is archived or scheduled ahead."""
    now = require_aware(now, "now")
    if _held_back(lead, now) is not None:
        return None
    return _deadlines_from(anchor(lead, now), timezone, policy)


def _deadlines_from(start: DateTime, timezone: str, policy: AgingPolicy) -> Deadlines:
    abandoned = add_days(start, policy.abandoned_after, timezone, policy)
    return Deadlines(
        anchor=start,
        past_due_at=add_days(start, policy.past_due_after, timezone, policy),
        abandoned_at=abandoned,
        available_at=add_days(abandoned, policy.available_after, timezone, policy),
    )


def age(lead: Lead, now: DateTime, timezone: str, policy: AgingPolicy) -> LeadStatus:
    """The lead's status at ``now``: a pure function of its facts, the time and the policy.

    1. archived: ``ARCHIVED``; 2. follow-up still ahead: ``SCHEDULED``;
    3. from the anchor, each deadline reached (at the deadline instant, not a
    microsecond before) gives ``AVAILABLE``, ``ABANDONED`` or ``PAST_DUE``;
    otherwise ``MISSED`` if a follow-up passed, else ``NOT_SCHEDULED``.
    Days are calendar (or business) days in ``timezone``: exactly 48 real
    hours is not always two days across a DST change.
    """
    now = require_aware(now, "now")
    _zone(timezone)

    def reached(start: DateTime) -> Mapping[LeadStatus, bool]:
        due = _deadlines_from(start, timezone, policy)
        return {
            LeadStatus.AVAILABLE: now >= due.available_at,
            LeadStatus.ABANDONED: now >= due.abandoned_at,
            LeadStatus.PAST_DUE: now >= due.past_due_at,
        }

    return _status(lead, now, reached)


def settle(lead: Lead, now: DateTime, timezone: str, policy: AgingPolicy) -> Lead:
    """The lead as of ``now``: its aged status, and no owner once ``AVAILABLE``.

    The version stays: this is what the lead already is, not a change anyone made.
    Returns ``lead`` itself when nothing changes.
    """
    return settled_as(lead, age(lead, now, timezone, policy))


def settled_as(lead: Lead, status: LeadStatus) -> Lead:
    """``lead`` with ``status``, and with no owner if that is ``AVAILABLE`` (the lead bank's).

    Returns ``lead`` itself when nothing changes.
    """
    owner = None if status is LeadStatus.AVAILABLE else lead.owner
    if (status, owner) == (lead.status, lead.owner):
        return lead
    return attrs.evolve(lead, status=status, owner=owner)


# The one statement of the rule: what holds a lead back, which deadline counts first, and
# what a lead is before its first deadline. ``age`` measures deadlines from the anchor;
# ``status_by_cutoffs`` compares the anchor with cutoffs worked out once for all leads.
_REACHED_FIRST = (LeadStatus.AVAILABLE, LeadStatus.ABANDONED, LeadStatus.PAST_DUE)


def _status(
    lead: Lead, now: DateTime, reached: Callable[[DateTime], Mapping[LeadStatus, bool]]
) -> LeadStatus:
    """``reached(anchor)`` says which deadlines an aging lead with that anchor has reached."""
    held_back = _held_back(lead, now)
    if held_back is not None:
        return held_back
    has = reached(anchor(lead, now))
    return next((status for status in _REACHED_FIRST if has[status]), _fresh(lead))


def _held_back(lead: Lead, now: DateTime) -> LeadStatus | None:
    """The status of a lead the clock does not age right now, or ``None``."""
    if lead.archived:
        return LeadStatus.ARCHIVED
    if lead.follow_up_at is not None and lead.follow_up_at > now:
        return LeadStatus.SCHEDULED
    return None


def _fresh(lead: Lead) -> LeadStatus:
    """The status of an aging lead before its first deadline."""
    return LeadStatus.NOT_SCHEDULED if lead.follow_up_at is None else LeadStatus.MISSED


# Cutoffs: the same rule as comparisons a database can run -------------------------------------


@attrs.frozen
class AgingCutoffs:
    """At ``now``, an aging lead whose anchor is at or before ``available`` is available, and so on.

    ``past_due``, ``abandoned`` and ``available`` are the latest anchors
    (to the microsecond) that have reached each status.
    """

    now: DateTime
    past_due: DateTime
    abandoned: DateTime
    available: DateTime


def aging_cutoffs(now: DateTime, timezone: str, policy: AgingPolicy) -> AgingCutoffs:
    """The cutoffs at ``now``: compute once per sweep, then classify every lead with ``<=``."""
    now = require_aware(now, "now")
    return AgingCutoffs(
        now=now,
        past_due=cutoff(now, policy.past_due_after, timezone, policy),
        abandoned=cutoff(now, policy.abandoned_after, timezone, policy),
        available=available_cutoff(now, timezone, policy),
    )


def status_by_cutoffs(lead: Lead, cutoffs: AgingCutoffs) -> LeadStatus:
    """The status by comparisons alone; the same as ``age`` at ``cutoffs.now``.

    In SQL: ``CASE WHEN archived THEN 'ARCHIVED' WHEN follow_up_at > :now
    THEN 'SCHEDULED' WHEN anchor <= :available THEN 'AVAILABLE' ... END``.
    """

    def reached(start: DateTime) -> Mapping[LeadStatus, bool]:
        return {
            LeadStatus.AVAILABLE: start <= cutoffs.available,
            LeadStatus.ABANDONED: start <= cutoffs.abandoned,
            LeadStatus.PAST_DUE: start <= cutoffs.past_due,
        }

    return _status(lead, cutoffs.now, reached)
