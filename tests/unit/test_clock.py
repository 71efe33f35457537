"""Clocks that tests can drive, and the system clock: aware, in UTC."""

from __future__ import annotations

import datetime as dt
import threading

import pendulum
import pytest

from contactlog_core import ManualClock, SystemClock, ValidationError
from contactlog_core.clock import Clock

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


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
