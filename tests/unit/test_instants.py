"""Aware instants only, kept in UTC; time zones by their IANA names, and what a refusal says."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core import errors
from contactlog_core.instants import require_aware, require_timezone
from tests.support.seeds import NOW


@pytest.mark.parametrize(
    "value", [dt.datetime(2026, 1, 1), pendulum.naive(2026, 1, 1), "2026-01-01T00:00:00Z", 0, None]
)
def test_anything_but_an_aware_datetime_is_refused(value: object) -> None:
    with pytest.raises(errors.ValidationError) as e:
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
    with pytest.raises(errors.ValidationError):
        require_timezone(zone)


def test_known_time_zones_pass() -> None:
    assert require_timezone("Europe/London") == "Europe/London"


@pytest.mark.parametrize(
    "zone", ["../etc/passwd", "a" * 300, "UTC\x00", "/abs", "Europe/", "+05:00"]
)
def test_malformed_time_zone_names_are_validation_errors(zone: str) -> None:
    with pytest.raises(errors.ValidationError):
        require_timezone(zone)


# What a refusal says ------------------------------------------------------------------------


class _NoOffset(dt.tzinfo):
    """A time zone that does not know its offset: Python counts such datetimes as naive."""

    def utcoffset(self, _: dt.datetime | None) -> dt.timedelta | None:
        return None

    def dst(self, _: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, _: dt.datetime | None) -> str | None:
        return None


def test_a_non_datetime_is_refused_naming_its_type() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware("2026-11-02T09:00:00Z", "now")
    assert e.value.field == "now"
    assert str(e.value) == "invalid now: expected a timezone-aware datetime, got str"


def test_a_naive_datetime_is_refused_with_advice() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware(dt.datetime(2026, 11, 2, 9), "due_at")
    assert e.value.field == "due_at"
    assert str(e.value) == "invalid due_at: a naive datetime has no time zone; pass an aware one"


def test_a_datetime_whose_zone_has_no_offset_counts_as_naive() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_aware(dt.datetime(2026, 11, 2, 9, tzinfo=_NoOffset()), "now")
    assert e.value.reason == "a naive datetime has no time zone; pass an aware one"


def test_an_aware_instant_comes_back_in_the_utc_zone() -> None:
    tokyo = NOW.in_timezone("Asia/Tokyo")
    back = require_aware(tokyo, "now")
    assert back == NOW
    assert back.timezone_name == "UTC"


@pytest.fixture
def machine_in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone is Asia/Tokyo for the test, then back."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_tokyo")
def test_an_aware_instant_comes_back_in_utc_whatever_the_machines_zone() -> None:
    back = require_aware(NOW.in_timezone("Europe/London"), "now")
    assert back == NOW
    assert (back.hour, back.utcoffset(), back.timezone_name) == (9, dt.timedelta(0), "UTC")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "invalid timezone: expected an IANA time zone name such as 'Europe/London'"),
        (None, "invalid timezone: expected an IANA time zone name such as 'Europe/London'"),
        ("Mars/Olympus_Mons", "invalid timezone: unknown time zone 'Mars/Olympus_Mons'"),
    ],
)
def test_a_bad_time_zone_is_refused_under_the_timezone_field(value: object, message: str) -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_timezone(value)
    assert e.value.field == "timezone"
    assert str(e.value) == message


def test_a_bad_time_zone_is_refused_under_the_callers_field() -> None:
    with pytest.raises(errors.ValidationError) as e:
        require_timezone("Mars/Olympus_Mons", "organisation.timezone")
    assert e.value.field == "organisation.timezone"
    with pytest.raises(errors.ValidationError) as e:
        require_timezone(3, "organisation.timezone")
    assert e.value.field == "organisation.timezone"
