"""Leads, zones and aging policies for the lead tests: plain builders and Hypothesis strategies."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import attrs
import pendulum
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core import OrgId, StaffId
from contactlog_core.domain.leads.aging import AgingPolicy, DayCount
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadId, LeadStatus, TouchKind
from tests.support.seeds import NOW, ORG

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
AGING = AgingPolicy.default()

ZONES = (
    LONDON,
    NEW_YORK,
    "Australia/Lord_Howe",  # a 30-minute DST change
    "Asia/Kolkata",  # no DST, a half-hour offset
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Santiago",  # clocks change at midnight
    "America/Havana",  # and at 00:00 / 01:00 local
    "Europe/Dublin",  # "negative" DST in the tz database
    "Pacific/Apia",  # skipped 2011-12-30 entirely
    "America/St_Johns",
    "UTC",
)

_YEARS = range(2008, 2032)
_SECOND = dt.timedelta(seconds=1)


def make_lead(**fields: object) -> Lead:
    """A lead added at ``NOW`` by alice, owned by her, untouched since, not scheduled."""
    lead = Lead(
        id=LeadId("lead-1"),
        org_id=OrgId(ORG),
        name="Mrs Patel",
        contact="+44 20 7946 0000",
        owner=StaffId("alice"),
        follow_up_at=None,
        last_touch_at=NOW,
        last_touch_by=StaffId("alice"),
        last_touch_kind=TouchKind.ADD,
        archived_reason=None,
        archive_note="",
        status=LeadStatus.NOT_SCHEDULED,
        created_by=StaffId("alice"),
        created_at=NOW,
        updated_at=NOW,
    )
    return attrs.evolve(lead, **fields)


def lead_in(status: LeadStatus, owner: str | None = "alice", at: DateTime = NOW) -> Lead:
    """A lead whose facts give ``status`` at ``at`` under the default policy, as last stored."""
    hours = {
        LeadStatus.NOT_SCHEDULED: 1,
        LeadStatus.PAST_DUE: 60,
        LeadStatus.ABANDONED: 96,
        LeadStatus.AVAILABLE: 240,
    }
    lead = make_lead(owner=None if owner is None else StaffId(owner), status=status)
    if status is LeadStatus.SCHEDULED:
        return attrs.evolve(lead, follow_up_at=at.add(days=1), last_touch_at=at.subtract(hours=1))
    if status is LeadStatus.MISSED:
        return attrs.evolve(
            lead, follow_up_at=at.subtract(hours=1), last_touch_at=at.subtract(days=1)
        )
    if status is LeadStatus.ARCHIVED:
        return attrs.evolve(lead, archived_reason=ArchiveReason.LOST)
    return attrs.evolve(lead, last_touch_at=at.subtract(hours=hours[status]))


def utc(instant: dt.datetime) -> DateTime:
    return pendulum.instance(instant).in_timezone("UTC")


# Hypothesis strategies --------------------------------------------------------------------------


@functools.cache
def transitions(zone_name: str) -> tuple[dt.datetime, ...]:
    """Every UTC offset change of the zone in ``_YEARS`` (to the second), found by bisection."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime(_YEARS.start, 1, 1, tzinfo=dt.UTC)
    days = (dt.datetime(_YEARS.stop, 1, 1, tzinfo=dt.UTC) - start).days
    found = []
    for day in range(days):
        lo, hi = start + dt.timedelta(days=day), start + dt.timedelta(days=day + 1)
        if lo.astimezone(zone).utcoffset() != hi.astimezone(zone).utcoffset():
            found.append(_bisect(lo, hi, zone))
    return tuple(found)


def _bisect(lo: dt.datetime, hi: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    after = hi.astimezone(zone).utcoffset()
    while hi - lo > _SECOND:
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi


def zones() -> st.SearchStrategy[str]:
    """One of ``ZONES``; shrinks towards London."""
    return st.sampled_from(ZONES)


@st.composite
def near_changes(draw: st.DrawFn, zone: str, back: int | None = None) -> DateTime:
    """An instant a few hours either side of a DST change, or ``back`` days (up to 12) earlier."""
    changes = transitions(zone) or (dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),)
    change = draw(st.sampled_from(changes))
    if back is None:
        back = draw(st.integers(0, 12))
    minutes = draw(st.integers(-180, 180))
    jitter = dt.timedelta(minutes=minutes, microseconds=draw(st.integers(0, 59_999_999)))
    return utc(change - dt.timedelta(days=back) + jitter)


def instants(zone: str) -> st.SearchStrategy[DateTime]:
    """An instant near a DST change of ``zone``, or anywhere in 2008 to 2031."""
    anywhere = st.datetimes(
        min_value=dt.datetime(2008, 1, 1), max_value=dt.datetime(2031, 12, 31)
    ).map(lambda d: utc(d.replace(tzinfo=dt.UTC)))
    return near_changes(zone) | anywhere


@functools.cache
def _change_days() -> tuple[dt.date, ...]:
    days = {
        c.date() + dt.timedelta(days=d) for z in ZONES for c in transitions(z) for d in (-1, 0, 1)
    }
    return tuple(sorted(days))


@st.composite
def aging_policies(draw: st.DrawFn) -> AgingPolicy:
    """A valid policy, calendar or business days; shrinks to the defaults' shape."""
    past_due = draw(st.integers(1, 6))
    abandoned = draw(st.integers(past_due + 1, 8))
    available = draw(st.integers(1, 8))
    days = draw(st.sampled_from(DayCount))
    weekend = draw(st.sets(st.integers(0, 6), max_size=3))
    # Holidays around the zones' DST changes too, so that business days meet them there.
    some_day = st.sampled_from(_change_days()) | st.dates(
        dt.date(2008, 1, 1), dt.date(2031, 12, 31)
    )
    holidays = draw(st.sets(some_day, max_size=40))
    return AgingPolicy(
        past_due, abandoned, available, days, frozenset(weekend), frozenset(holidays)
    )
