"""How leads age (docs/rules.md, "Sales leads"): days in the organisation's zone, deadlines, cutoffs, settling."""

from __future__ import annotations

import datetime as dt
import doctest
import itertools
import json
import sys
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core import Actor, Policy, StaffId, ValidationError
from contactlog_core.domain.leads import aging, commands
from contactlog_core.domain.leads.aging import (
    AgingPolicy,
    DayCount,
    add_days,
    age,
    aging_cutoffs,
    anchor,
    available_cutoff,
    cutoff,
    deadlines,
    holiday_dates,
    settle,
    status_by_cutoffs,
)
from contactlog_core.domain.leads.model import ArchiveReason, Lead, LeadId, LeadStatus
from contactlog_core.domain.leads.rules import AGING_EDGES
from contactlog_core.domain.organisations import aging_policy
from contactlog_core.serialization import structure, unstructure
from tests.support.lead_seeds import (
    AGING,
    LONDON,
    NEW_YORK,
    ZONES,
    aging_policies,
    instants,
    lead_in,
    make_lead,
    near_changes,
    transitions,
    utc,
    zones,
)
from tests.support.seeds import NOW, make_staff

ROLES = Policy.default()
ALICE = Actor.of(make_staff("alice", "office_admin"))
BOB = Actor.of(make_staff("bob", "office_admin"))
US = dt.timedelta(microseconds=1)


def local(zone: str, *fields: int) -> DateTime:
    return pendulum.datetime(*fields, tz=zone).in_timezone("UTC")


def status_at(lead: Lead, at: DateTime, zone: str = LONDON, policy: AgingPolicy = AGING) -> str:
    return age(lead, at, zone, policy).value


# The policy ------------------------------------------------------------------------------------


def test_the_default_policy_is_two_three_five_calendar_days() -> None:
    policy = AgingPolicy.default()
    assert (policy.past_due_after, policy.abandoned_after, policy.available_after) == (2, 3, 5)
    assert (policy.days, policy.weekend, policy.holidays) == (
        DayCount.CALENDAR,
        frozenset({5, 6}),
        frozenset(),
    )
    assert policy.is_business_day(dt.date(2026, 4, 4))  # a Saturday counts in calendar days


def test_a_policy_takes_lists_and_plain_strings() -> None:
    policy = AgingPolicy(days="business", weekend=[4, 5], holidays=[dt.date(2026, 12, 25)])
    assert policy.days is DayCount.BUSINESS
    assert policy.weekend == frozenset({4, 5})
    assert policy.holidays == frozenset({dt.date(2026, 12, 25)})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"past_due_after": 0}, "aging.past_due_after"),
        ({"past_due_after": True}, "aging.past_due_after"),
        ({"past_due_after": 2.0}, "aging.past_due_after"),
        ({"available_after": 366}, "aging.available_after"),
        ({"abandoned_after": "3"}, "aging.abandoned_after"),
        ({"past_due_after": 3, "abandoned_after": 3}, "aging.abandoned_after"),
        ({"past_due_after": 4, "abandoned_after": 3}, "aging.abandoned_after"),
        ({"days": "lunar"}, "aging.days"),
        ({"weekend": [7]}, "aging.weekend"),
        ({"weekend": [True]}, "aging.weekend"),
        ({"weekend": range(7)}, "aging.weekend"),
        ({"weekend": "56"}, "aging.weekend"),
        ({"weekend": 5}, "aging.weekend"),
        ({"holidays": [dt.datetime(2026, 12, 25)]}, "aging.holidays"),
        ({"holidays": ["2026-12-25"]}, "aging.holidays"),
        ({"holidays": [[2026, 12, 25]]}, "aging.holidays"),
        (
            {"holidays": [dt.date(2000, 1, 1) + dt.timedelta(days=d) for d in range(10_001)]},
            "aging.holidays",
        ),
    ],
)
def test_a_policy_refuses_what_it_cannot_count_with(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as e:
        AgingPolicy(**fields)  # type: ignore[arg-type]
    assert e.value.field == field


def test_a_policy_survives_a_trip_through_json() -> None:
    policy = AgingPolicy(2, 4, 6, "business", [4, 5], [dt.date(2026, 12, 25)])
    data = json.loads(json.dumps(unstructure(policy)))
    assert data["holidays"] == ["2026-12-25"]
    assert structure(data, AgingPolicy) == policy


def test_the_module_examples_run() -> None:
    for module in (aging, aging_policy):
        assert doctest.testmod(module, raise_on_error=True).failed == 0


def test_holiday_dates_come_from_the_optional_holidays_package() -> None:
    pytest.importorskip("holidays")
    england = holiday_dates("GB", [2026], subdiv="ENG")
    assert {dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 12, 25)} <= england
    assert AgingPolicy(days="business", holidays=england).holidays == england


@pytest.mark.parametrize(
    ("country", "years", "subdiv", "field"),
    [
        ("XX", [2026], None, "country"),
        ("GB", [2026], "ZZZ", "country"),
        ("GB", [26], None, "years"),
    ],
)
def test_an_unknown_holiday_calendar_is_refused(
    country: str, years: list[int], subdiv: str | None, field: str
) -> None:
    pytest.importorskip("holidays")
    with pytest.raises(ValidationError) as e:
        holiday_dates(country, years, subdiv)
    assert e.value.field == field


def test_without_the_holidays_package_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(ValidationError, match=r"pip install contactlog-core\[holidays\]"):
        holiday_dates("GB", [2026])


# Counting days ---------------------------------------------------------------------------------


def test_two_days_after_the_saturday_before_the_clocks_go_forward_is_47_hours() -> None:
    saturday = local(LONDON, 2026, 3, 28, 10)
    assert add_days(saturday, 2, LONDON, AGING) == local(LONDON, 2026, 3, 30, 10)
    assert add_days(saturday, 2, LONDON, AGING) - saturday == pendulum.duration(hours=47)


def test_two_days_after_the_saturday_before_the_clocks_go_back_is_49_hours() -> None:
    saturday = local(LONDON, 2026, 10, 24, 10)
    assert add_days(saturday, 2, LONDON, AGING) - saturday == pendulum.duration(hours=49)


def test_without_daylight_saving_two_days_are_48_hours() -> None:
    start = local("Asia/Kolkata", 2026, 3, 28, 10)
    assert add_days(start, 2, "Asia/Kolkata", AGING) - start == pendulum.duration(hours=48)


def test_a_wall_time_the_clocks_skip_becomes_the_end_of_the_gap() -> None:
    before = local(LONDON, 2026, 3, 28, 1, 30)
    assert add_days(before, 1, LONDON, AGING) == pendulum.datetime(2026, 3, 29, 1, tz="UTC")


def test_a_repeated_wall_time_becomes_the_earlier_of_its_two_instants() -> None:
    before = local(LONDON, 2026, 10, 24, 1, 30)
    assert add_days(before, 1, LONDON, AGING) == pendulum.datetime(2026, 10, 25, 0, 30, tz="UTC")


def test_a_touch_in_the_repeated_hour_counts_from_its_end() -> None:
    first_pass = pendulum.datetime(2026, 10, 25, 0, 59, 59, 999_999, tz="UTC")  # 01:59:59 BST
    second_pass = pendulum.datetime(2026, 10, 25, 1, 30, tz="UTC")  # 01:30 GMT
    assert add_days(first_pass, 1, LONDON, AGING) == local(LONDON, 2026, 10, 26, 1, 59, 59, 999_999)
    assert add_days(second_pass, 1, LONDON, AGING) == local(LONDON, 2026, 10, 26, 2)


def test_lord_howe_moves_its_clocks_by_half_an_hour() -> None:
    zone = "Australia/Lord_Howe"
    start = local(zone, 2026, 10, 3, 2, 10)  # the next day's 02:10 is skipped (02:00 -> 02:30)
    assert add_days(start, 1, zone, AGING) == local(zone, 2026, 10, 4, 2, 30)
    assert add_days(start, 1, zone, AGING) - start == pendulum.duration(hours=23, minutes=50)


BUSINESS = AgingPolicy(days="business", holidays=[dt.date(2026, 4, 3), dt.date(2026, 4, 6)])


def test_business_days_skip_the_weekend_and_the_easter_holidays() -> None:
    thursday = local(LONDON, 2026, 4, 2, 16)
    assert add_days(thursday, 2, LONDON, BUSINESS) == local(LONDON, 2026, 4, 8, 16)
    assert add_days(thursday, 3, LONDON, BUSINESS) == local(LONDON, 2026, 4, 9, 16)


def test_a_touch_on_a_day_off_counts_from_the_next_business_morning() -> None:
    saturday = local(LONDON, 2026, 4, 11, 11)
    assert add_days(saturday, 2, LONDON, BUSINESS) == local(LONDON, 2026, 4, 15, 0)
    good_friday = local(LONDON, 2026, 4, 3, 9)
    assert add_days(good_friday, 1, LONDON, BUSINESS) == local(LONDON, 2026, 4, 8, 0)


def test_a_weekend_of_any_days_is_skipped() -> None:
    sunday_to_thursday = AgingPolicy(days=DayCount.BUSINESS, weekend=[4, 5])  # Friday, Saturday
    thursday = local("Asia/Dubai", 2026, 4, 2, 9)
    assert add_days(thursday, 1, "Asia/Dubai", sunday_to_thursday) == local(
        "Asia/Dubai", 2026, 4, 5, 9
    )


@pytest.mark.parametrize("n", [-1, 366, True, 1.5, "2"])
def test_a_day_count_is_a_whole_number_of_days(n: object) -> None:
    with pytest.raises(ValidationError) as e:
        add_days(NOW, n, LONDON, AGING)  # type: ignore[arg-type]
    assert e.value.field == "n"


def test_day_arithmetic_needs_a_known_zone_and_an_aware_instant() -> None:
    with pytest.raises(ValidationError):
        add_days(NOW, 1, "Mars/Olympus_Mons", AGING)
    with pytest.raises(ValidationError):
        add_days(NOW.naive(), 1, LONDON, AGING)
    with pytest.raises(ValidationError):
        age(make_lead(archived_reason=ArchiveReason.LOST), NOW, "Mars/Olympus_Mons", AGING)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("policy", [AGING, BUSINESS], ids=["calendar", "business"])
def test_deadlines_keep_their_order_through_every_clock_change(
    zone: str, policy: AgingPolicy
) -> None:
    """Sweep starts in 10-minute steps over each change, and over the days before it.

    A start n days before a change puts its deadline's wall time in the gap or
    the repeated hour; a start on the change is itself in the repeated hour.
    """
    step = dt.timedelta(minutes=10, microseconds=7)
    for change in [c for c in transitions(zone) if 2025 <= c.year <= 2027]:
        for n in (0, 1, 2, 5):
            for centre in {change, change - dt.timedelta(days=n)}:
                starts = [utc(centre + step * i) for i in range(-40, 40)]
                deadlines_ = [add_days(start, n, zone, policy) for start in starts]
                assert deadlines_ == sorted(deadlines_), (change, n)


@given(data=st.data(), zone=zones(), n=st.integers(0, 10), policy=aging_policies())
def test_a_later_start_never_gets_an_earlier_deadline(
    data: st.DataObject, zone: str, n: int, policy: AgingPolicy
) -> None:
    # On a change the start is in a gap or a repeated hour; n days before one, the deadline is.
    back = data.draw(st.sampled_from([0, n]) | st.integers(0, 12))
    start = data.draw(near_changes(zone, back=back))
    step = data.draw(
        st.sampled_from([US, dt.timedelta(minutes=10)]) | st.integers(1, 40).map(_minutes)
    )
    ordered = [add_days(start + step * k, n, zone, policy) for k in range(13)]
    assert ordered == sorted(ordered)


def _minutes(m: int) -> dt.timedelta:
    return dt.timedelta(minutes=m)


@given(
    zone=st.timezones().map(str),
    start=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2037, 12, 31)),
    step=st.timedeltas(dt.timedelta(0), dt.timedelta(days=2)),
    n=st.integers(1, 5),
)
def test_deadlines_keep_their_order_in_any_zone(
    zone: str, start: dt.datetime, step: dt.timedelta, n: int
) -> None:
    first = pendulum.instance(start.replace(tzinfo=dt.UTC))
    assert add_days(first, n, zone, AGING) <= add_days(first + step, n, zone, AGING)


# Cutoffs ---------------------------------------------------------------------------------------


@given(data=st.data(), zone=zones(), n=st.integers(0, 10), policy=aging_policies())
def test_the_cutoff_is_the_last_start_whose_deadline_has_come(
    data: st.DataObject, zone: str, n: int, policy: AgingPolicy
) -> None:
    now = data.draw(instants(zone))
    last = cutoff(now, n, zone, policy)
    assert add_days(last, n, zone, policy) <= now < add_days(last + US, n, zone, policy)


@given(data=st.data(), zone=zones(), policy=aging_policies())
def test_the_available_cutoff_is_the_last_anchor_that_is_available(
    data: st.DataObject, zone: str, policy: AgingPolicy
) -> None:
    now = data.draw(instants(zone))
    last = available_cutoff(now, zone, policy)

    def available_at(start: DateTime) -> DateTime:
        abandoned = add_days(start, policy.abandoned_after, zone, policy)
        return add_days(abandoned, policy.available_after, zone, policy)

    assert available_at(last) <= now < available_at(last + US)


@st.composite
def leads_around(draw: st.DrawFn, now: DateTime, targets: list[DateTime]) -> Lead:
    """A lead whose anchor sits on, just beside, or anywhere near one of ``targets``."""
    target = draw(st.sampled_from(targets))
    nudge = draw(
        st.sampled_from([-US, dt.timedelta(0), US])
        | st.timedeltas(dt.timedelta(days=-12), dt.timedelta(days=2))
    )
    start = target + nudge
    earlier = start - draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=20)))
    shape = draw(st.sampled_from(["touched", "missed", "scheduled", "archived"]))
    facts: dict[str, dict[str, Any]] = {
        "touched": {"last_touch_at": start},
        "missed": {"follow_up_at": start, "last_touch_at": earlier},
        "scheduled": {"follow_up_at": now + (start - earlier), "last_touch_at": start},
        "archived": {"last_touch_at": start, "archived_reason": ArchiveReason.DO_NOT_CONTACT},
    }
    return make_lead(**facts[shape])


@given(data=st.data(), zone=zones(), policy=aging_policies())
def test_classifying_by_cutoffs_agrees_with_age(
    data: st.DataObject, zone: str, policy: AgingPolicy
) -> None:
    now = data.draw(instants(zone))
    cuts = aging_cutoffs(now, zone, policy)
    targets = [cuts.past_due, cuts.abandoned, cuts.available, now]
    lead = data.draw(leads_around(now, targets))
    assert status_by_cutoffs(lead, cuts) is age(lead, now, zone, policy)


def test_cutoffs_are_ordered_and_exact_on_a_plain_day() -> None:
    now = local(LONDON, 2026, 6, 10, 12)
    cuts = aging_cutoffs(now, LONDON, AGING)
    assert cuts.now == now
    assert cuts.past_due == local(LONDON, 2026, 6, 8, 12)
    assert cuts.abandoned == local(LONDON, 2026, 6, 7, 12)
    assert cuts.available == local(LONDON, 2026, 6, 2, 12)


# Aging a lead ----------------------------------------------------------------------------------


def test_anchor_is_the_later_of_the_last_touch_and_a_passed_follow_up() -> None:
    follow_up = NOW.add(days=1)
    lead = make_lead(follow_up_at=follow_up)
    assert anchor(lead, NOW) == NOW
    assert anchor(lead, follow_up) == follow_up
    assert anchor(attrs.evolve(lead, last_touch_at=follow_up.add(hours=1)), NOW.add(days=9)) == (
        follow_up.add(hours=1)
    )


def test_no_deadlines_while_archived_or_scheduled_ahead() -> None:
    assert deadlines(lead_in(LeadStatus.ARCHIVED), NOW, LONDON, AGING) is None
    assert deadlines(lead_in(LeadStatus.SCHEDULED), NOW, LONDON, AGING) is None
    due = deadlines(make_lead(), NOW, LONDON, AGING)
    assert due is not None
    assert (due.anchor, due.past_due_at, due.abandoned_at, due.available_at) == (
        NOW,
        NOW.add(days=2),
        NOW.add(days=3),
        NOW.add(days=8),
    )


@pytest.mark.parametrize("status", list(LeadStatus))
def test_the_seed_leads_age_as_named(status: LeadStatus) -> None:
    assert age(lead_in(status), NOW, LONDON, AGING) is status


@pytest.mark.parametrize(
    ("follow_up", "before", "after", "days"),
    [
        (False, "NOT_SCHEDULED", "PAST_DUE", 2),
        (True, "MISSED", "PAST_DUE", 2),
        (True, "PAST_DUE", "ABANDONED", 3),
        (False, "ABANDONED", "AVAILABLE", 8),
    ],
)
def test_a_deadline_counts_from_its_instant_not_a_microsecond_before(
    follow_up: bool, before: str, after: str, days: int
) -> None:
    start = local(NEW_YORK, 2026, 3, 6, 9)  # the clocks go forward on Sunday the 8th
    lead = make_lead(last_touch_at=start)
    if follow_up:
        lead = make_lead(last_touch_at=start.subtract(days=1), follow_up_at=start)
    deadline = local(NEW_YORK, 2026, 3, 6 + days, 9)
    assert status_at(lead, deadline - US, NEW_YORK) == before
    assert status_at(lead, deadline, NEW_YORK) == after


def test_a_follow_up_is_missed_from_its_own_instant() -> None:
    lead = lead_in(LeadStatus.SCHEDULED)
    assert lead.follow_up_at is not None
    assert status_at(lead, lead.follow_up_at - US) == "SCHEDULED"
    assert status_at(lead, lead.follow_up_at) == "MISSED"


def test_48_real_hours_are_not_always_two_days() -> None:
    touched = local(LONDON, 2026, 10, 24, 10)  # the clocks go back the next night
    lead = make_lead(last_touch_at=touched)
    assert status_at(lead, touched.add(hours=48)) == "NOT_SCHEDULED"
    assert status_at(lead, touched.add(hours=49)) == "PAST_DUE"
    spring = make_lead(last_touch_at=local(LONDON, 2026, 3, 28, 10))
    assert status_at(spring, local(LONDON, 2026, 3, 28, 10).add(hours=47)) == "PAST_DUE"


def test_an_archived_lead_never_ages() -> None:
    lead = lead_in(LeadStatus.ARCHIVED)
    assert status_at(lead, NOW.add(years=5)) == "ARCHIVED"


def test_settle_clears_the_owner_of_an_available_lead_and_keeps_the_version() -> None:
    lead = attrs.evolve(lead_in(LeadStatus.AVAILABLE), status=LeadStatus.NOT_SCHEDULED, version=4)
    settled = settle(lead, NOW, LONDON, AGING)
    assert (settled.status, settled.owner, settled.version) == (LeadStatus.AVAILABLE, None, 4)


def test_settle_returns_the_same_lead_when_nothing_changed() -> None:
    lead = lead_in(LeadStatus.PAST_DUE)
    assert settle(lead, NOW, LONDON, AGING) is lead


@given(data=st.data(), zone=zones(), policy=aging_policies())
def test_settling_twice_is_settling_once(
    data: st.DataObject, zone: str, policy: AgingPolicy
) -> None:
    now = data.draw(instants(zone))
    lead = data.draw(leads_around(now, [now, now - dt.timedelta(days=4)]))
    once = settle(lead, now, zone, policy)
    assert settle(once, now, zone, policy) == once
    change = commands.age_change(lead, now, zone, policy)
    assert commands.sweep_change(lead, aging_cutoffs(now, zone, policy)) == change
    if change is not None:
        assert commands.age_change(change.after, now, zone, policy) is None


_FOLLOWS = {(e.source, e.target) for e in AGING_EDGES}


def _reachable(source: LeadStatus, target: LeadStatus) -> bool:
    seen, frontier = set(), {source}
    while frontier:
        seen |= frontier
        frontier = {t for s, t in _FOLLOWS if s in frontier} - seen
    return target in seen


@given(data=st.data(), zone=zones(), policy=aging_policies())
def test_left_alone_a_lead_only_moves_along_the_aging_edges(
    data: st.DataObject, zone: str, policy: AgingPolicy
) -> None:
    now = data.draw(instants(zone))
    lead = data.draw(leads_around(now, [now]))
    assume(not lead.archived)
    steps = data.draw(st.lists(st.timedeltas(dt.timedelta(0), dt.timedelta(days=4)), max_size=6))
    statuses = [age(lead, now, zone, policy)]
    for step in steps:
        now += step
        statuses.append(age(lead, now, zone, policy))
    for before, after in itertools.pairwise(statuses):
        assert before == after or _reachable(before, after), (before, after)


# Worked timelines (docs/rules.md, "Sales leads") ------------------------------------------------------------


def _added(zone: str, added: DateTime, follow_up: DateTime) -> Lead:
    return commands.add(
        lead_id=LeadId("lead-7"),
        actor=ALICE,
        now=added,
        timezone=zone,
        policy=ROLES,
        aging=AGING,
        name="Acme Ltd",
        follow_up_at=follow_up,
    ).after


@pytest.mark.parametrize(
    ("zone", "added", "follow_up", "past_due", "abandoned", "available"),
    [
        # Across the spring change in London: "3 days" after the missed call is 71 real hours.
        (
            LONDON,
            (2026, 3, 25, 9),
            (2026, 3, 26, 10),
            (2026, 3, 28, 10),
            (2026, 3, 29, 10),
            (2026, 4, 3, 10),
        ),
        # Across the autumn change in London: 73 real hours.
        (
            LONDON,
            (2026, 10, 21, 9),
            (2026, 10, 22, 10),
            (2026, 10, 24, 10),
            (2026, 10, 25, 10),
            (2026, 10, 30, 10),
        ),
        # New York falls back on 1 November.
        (
            NEW_YORK,
            (2026, 10, 28, 14),
            (2026, 10, 29, 14),
            (2026, 10, 31, 14),
            (2026, 11, 1, 14),
            (2026, 11, 6, 14),
        ),
    ],
)
def test_a_lead_is_missed_past_due_abandoned_available_and_claimed(
    zone: str,
    added: tuple[int, ...],
    follow_up: tuple[int, ...],
    past_due: tuple[int, ...],
    abandoned: tuple[int, ...],
    available: tuple[int, ...],
) -> None:
    """Alice adds a lead with a follow-up; nobody touches it; Bob claims it once available."""
    follow_up_at = local(zone, *follow_up)
    lead = _added(zone, local(zone, *added), follow_up_at)
    milestones = [
        (follow_up_at, "SCHEDULED", "MISSED"),
        (local(zone, *past_due), "MISSED", "PAST_DUE"),
        (local(zone, *abandoned), "PAST_DUE", "ABANDONED"),
        (local(zone, *available), "ABANDONED", "AVAILABLE"),
    ]
    for at, before, after in milestones:
        assert (status_at(lead, at - US, zone), status_at(lead, at, zone)) == (before, after), at
    at_available = local(zone, *available)
    swept = commands.age_change(lead, at_available, zone, AGING)
    assert swept is not None
    assert (swept.after.status, swept.after.owner, swept.actor) == (
        LeadStatus.AVAILABLE,
        None,
        None,
    )
    claimed = commands.claim(
        swept.after, BOB, at_available.add(minutes=5), zone, ROLES, aging=AGING
    )
    assert claimed.after.owner == StaffId("bob")
    # The old follow-up still stands missed: Bob's first job is to reschedule it.
    assert claimed.after.status is LeadStatus.MISSED
    assert claimed.after.version == swept.after.version + 1


def test_a_timeline_in_business_days_over_easter() -> None:
    thursday = local(LONDON, 2026, 4, 2, 16)
    lead = make_lead(last_touch_at=thursday)
    checks = [
        (local(LONDON, 2026, 4, 8, 16), "NOT_SCHEDULED", "PAST_DUE"),
        (local(LONDON, 2026, 4, 9, 16), "PAST_DUE", "ABANDONED"),
        (local(LONDON, 2026, 4, 16, 16), "ABANDONED", "AVAILABLE"),
    ]
    for at, before, after in checks:
        assert (
            status_at(lead, at - US, policy=BUSINESS),
            status_at(lead, at, policy=BUSINESS),
        ) == (
            before,
            after,
        )
