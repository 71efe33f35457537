"""Where ``now`` comes from: injected, never a hidden call.

The library asks the clock it was given; tests hand it a ``ManualClock``
and move time on purpose.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

import pendulum
from pendulum import DateTime

from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_aware

__all__ = ["Clock", "ManualClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` that returns an aware instant."""

    def now(self) -> DateTime: ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> DateTime:
        return pendulum.now("UTC")

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that moves only when told to.

    >>> clock = ManualClock(pendulum.datetime(2026, 11, 2, 9, tz="UTC"))
    >>> clock.advance(days=3).isoformat()
    '2026-11-05T09:00:00+00:00'

    With ``tick`` set, every ``now()`` first moves the clock on by that much,
    so successive events get distinct instants; ``freeze`` stops that.
    """

    def __init__(self, start: DateTime, *, tick: pendulum.Duration | None = None) -> None:
        self._now = require_aware(start, "start")
        self._tick = tick
        self._lock = threading.Lock()

    def now(self) -> DateTime:
        with self._lock:
            if self._tick is not None:
                self._now = self._now + self._tick
            return self._now

    def set(self, instant: DateTime) -> DateTime:
        """Jump to ``instant`` (backwards too: tests of clock skew need it)."""
        with self._lock:
            self._now = require_aware(instant, "instant")
            return self._now

    def advance(
        self,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> DateTime:
        """Move forward by an exact duration and return the new instant."""
        step = pendulum.duration(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if step.total_seconds() < 0:
            raise ValidationError("advance", "a clock only advances; use set() to go back")
        with self._lock:
            self._now = self._now + step
            return self._now

    def freeze(self) -> DateTime:
        """Stop ticking: ``now()`` returns the same instant until moved."""
        with self._lock:
            self._tick = None
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"
