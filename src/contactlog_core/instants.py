"""Aware instants: the one gate every datetime passes on its way in.

A foundation module (below the domain) so that the domain, the clock and the
converter all share one definition of "aware".
"""

from __future__ import annotations

import datetime as dt

import pendulum
from pendulum import DateTime

from contactlog_core.errors import ValidationError

__all__ = ["DateTime", "require_aware", "require_timezone"]


def require_aware(value: object, field: str) -> DateTime:
    """Return ``value`` as a pendulum instant in UTC, or refuse it.

    A naive datetime has no meaning for a log shared across time zones, so it
    is refused rather than guessed.
    """
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
