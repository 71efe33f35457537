"""Aware instants only, and clocks that tests can drive."""

from __future__ import annotations

import datetime as dt
import threading

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core import ManualClock, SystemClock, ValidationError
from contactlog_core.clock import Clock
from contactlog_core.instants import require_aware, require_timezone

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


@pytest.mark.parametrize(
    "value", [dt.datetime(2026, 1, 1), pendulum.naive(2026, 1, 1), "2026-01-01T00:00:00Z", 0, None]
)
def test_anything_but_an_aware_datetime_is_refused(value: object) -> None:
    with pytest.raises(ValidationError) as e:
        require_aware(value, "due_at")
    assert e.value.field == "due_at"


@given(st.datetimes(timezones=st.timezones()))
def test_aware_instants_are_kept_as_the_same_instant_in_utc(value: dt.datetime) -> None:
    try:
        offset = value.utcoffset()
    except (OverflowError, ValueError):
        return
    if offset is None:
        return
    converted = require_aware(value, "at")
    # Compared in UTC: Python never calls a wall time in a DST gap equal across zones.
    assert converted == value.astimezone(dt.UTC)
    assert converted.utcoffset() == dt.timedelta(0)


def test_a_stdlib_aware_datetime_becomes_a_pendulum_instant() -> None:
    value = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert require_aware(value, "at") == pendulum.datetime(2026, 3, 28, 23, 30, tz="UTC")
    assert isinstance(require_aware(value, "at"), pendulum.DateTime)


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", None, 3])
def test_unknown_time_zones_are_refused(zone: object) -> None:
    with pytest.raises(ValidationError):
        require_timezone(zone)


def test_known_time_zones_pass() -> None:
    assert require_timezone("Europe/London") == "Europe/London"


def test_manual_clock_sets_advances_and_stays_still() -> None:
    clock = ManualClock(START)
    assert clock.now() == clock.now() == START
    assert clock.advance(days=3, hours=1) == START.add(days=3, hours=1)
    assert clock.set(START.subtract(days=1)) == START.subtract(days=1)
    assert clock.now() == START.subtract(days=1)


def test_manual_clock_refuses_naive_times_and_going_backwards_by_advance() -> None:
    with pytest.raises(ValidationError):
        ManualClock(pendulum.naive(2026, 1, 1))
    clock = ManualClock(START)
    with pytest.raises(ValidationError):
        clock.set(dt.datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        clock.advance(minutes=-1)
    assert clock.now() == START


def test_a_ticking_clock_moves_on_every_reading_until_frozen() -> None:
    clock = ManualClock(START, tick=pendulum.duration(seconds=1))
    assert [clock.now(), clock.now()] == [START.add(seconds=1), START.add(seconds=2)]
    assert clock.freeze() == START.add(seconds=2)
    assert clock.now() == START.add(seconds=2)


def test_a_ticking_clock_never_repeats_an_instant_across_threads() -> None:
    clock = ManualClock(START, tick=pendulum.duration(microseconds=1))
    seen: list[pendulum.DateTime] = []
    lock = threading.Lock()

    def read() -> None:
        for _ in range(500):
            value = clock.now()
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 2_000


def test_system_clock_is_aware_utc_and_a_clock() -> None:
    now = SystemClock().now()
    assert now.utcoffset() == dt.timedelta(0)
    assert isinstance(SystemClock(), Clock)
    assert isinstance(ManualClock(START), Clock)
    assert repr(ManualClock(START)) == "ManualClock(2026-11-02T09:00:00+00:00)"


def test_an_organisation_shows_stored_utc_instants_on_its_own_wall_clock() -> None:
    from contactlog_core import Organisation, OrgId

    org = Organisation(id=OrgId("o"), name="Northfield", timezone="Europe/London", created_at=START)
    summer = pendulum.datetime(2026, 7, 1, 8, 30, tz="UTC")
    assert org.local(summer).isoformat() == "2026-07-01T09:30:00+01:00"
    assert org.local(START).isoformat() == "2026-11-02T09:00:00+00:00"


@pytest.mark.parametrize(
    "zone", ["../etc/passwd", "a" * 300, "UTC\x00", "/abs", "Europe/", "+05:00"]
)
def test_malformed_time_zone_names_are_validation_errors(zone: str) -> None:
    with pytest.raises(ValidationError):
        require_timezone(zone)
