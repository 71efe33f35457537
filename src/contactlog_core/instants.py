"""Aware instants: the one gate every datetime passes on its way in.

A foundation module (below the domain) so that the domain, the clock and the
converter all share one definition of "aware".
"""

from __future__ import annotations

import datetime as dt

import pendulum
from pendulum import DateTime

from contactlog_core.errors import ValidationError

__all__ = ["DateTime", "from_micros", "require_aware", "require_timezone", "to_micros"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def require_aware(value: object, field: str) -> DateTime:
    """Return ``value`` as a pendulum instant in UTC, or refuse it.

    A naive datetime has no meaning for a log shared across time zones, so it
    is refused rather than guessed.
    """
    if type(value) is DateTime and value.tzinfo is pendulum.UTC:
        return value  # already through this gate: instants pass it many times on their way in
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            field, f"expected a timezone-aware datetime, got {type(value).__name__}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, "a naive datetime has no time zone; pass an aware one")
    # Convert with the standard library first: for a wall time in a DST gap it keeps the
    # offset the value itself reports, where re-reading the wall time could shift it.
    utc = dt.datetime.astimezone(value, dt.UTC)
    return DateTime(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
        tzinfo=pendulum.UTC,
    )


def require_timezone(value: object, field: str = "timezone") -> str:
    """Return ``value`` if it names a known IANA time zone, or refuse it."""
    if not isinstance(value, str) or not value:
        raise ValidationError(field, "expected an IANA time zone name such as 'Europe/London'")
    try:
        pendulum.timezone(value)
    except (ValueError, KeyError, OSError) as e:
        # Unknown names raise InvalidTimezone (a ValueError); malformed ones ValueError,
        # ZoneInfoNotFoundError (a KeyError) or, when too long for a file name, OSError.
        raise ValidationError(field, f"unknown time zone {value!r}") from e
    return value


def to_micros(instant: dt.datetime) -> int:
    """An aware instant as whole microseconds since 1970-01-01 UTC (how stores keep instants)."""
    # Plain datetime arithmetic: pendulum's own subtraction yields an Interval.
    return dt.datetime.__sub__(instant, _EPOCH) // _MICRO


def from_micros(micros: int) -> DateTime:
    """The instant ``micros`` microseconds after 1970-01-01 UTC, in UTC."""
    # The constructor directly: five times faster than pendulum.instance() on every row read.
    d = _EPOCH + dt.timedelta(microseconds=micros)
    return DateTime(
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, tzinfo=pendulum.UTC
    )
