"""The organisation's aging policy (docs/rules.md, "Sales leads"): how many days, and which days count.

Its own module, below ``aging``, so that an ``Organisation`` can hold one
without importing leads. ``aging`` re-exports every name here.

>>> AgingPolicy(days="business", weekend=[5, 6]).is_business_day(dt.date(2026, 4, 4))
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

import attrs

from contactlog_core.domain.shared import validation as check
from contactlog_core.errors import ValidationError

__all__ = ["MAX_DAYS", "MAX_HOLIDAYS", "AgingPolicy", "DayCount", "holiday_dates"]

MAX_DAYS = 365
MAX_HOLIDAYS = 10_000


class DayCount(StrEnum):
    """How the policy counts days: every calendar day, or business days only."""

    CALENDAR = "calendar"
    BUSINESS = "business"


def _duration(field: str) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    def validate(_: object, __: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(field, f"expected a whole number of days, got {value!r:.60}")
        if not 1 <= value <= MAX_DAYS:
            raise ValidationError(field, f"must be 1 to {MAX_DAYS} days, got {value}")

    return validate


def _as_weekend(value: Iterable[int]) -> frozenset[int]:
    days = _as_frozenset(value, "aging.weekend")
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValidationError("aging.weekend", f"{day!r:.60} is not a weekday number 0 to 6")
    if len(days) == 7:
        raise ValidationError("aging.weekend", "a week needs at least one business day")
    return days


def _as_holidays(value: Iterable[dt.date]) -> frozenset[dt.date]:
    days = _as_frozenset(value, "aging.holidays")
    for day in days:
        # A datetime is a date too, but "which day" would then depend on a time zone.
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise ValidationError("aging.holidays", f"{day!r:.60} is not a date")
    if len(days) > MAX_HOLIDAYS:
        raise ValidationError("aging.holidays", f"at most {MAX_HOLIDAYS} holidays")
    return days


def _as_frozenset(value: object, field: str) -> frozenset[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(field, f"expected a collection, got {type(value).__name__}")
    try:
        return frozenset(value)
    except TypeError:
        raise ValidationError(field, "expected hashable values") from None


def _as_day_count(value: DayCount | str) -> DayCount:
    return check.choice(value, DayCount, "aging.days")


@attrs.frozen
class AgingPolicy:
    """Untouched for ``past_due_after`` days: past due; ``abandoned_after``: abandoned;
    ``available_after`` more days abandoned: available to all, the owner cleared.

    ``days`` counts calendar days in the organisation's zone, or business days:
    any day but the ``weekend`` (Python weekday numbers, Monday is 0) and the
    ``holidays``.
    """

    past_due_after: int = attrs.field(default=2, validator=_duration("aging.past_due_after"))
    abandoned_after: int = attrs.field(default=3, validator=_duration("aging.abandoned_after"))
    available_after: int = attrs.field(default=5, validator=_duration("aging.available_after"))
    days: DayCount = attrs.field(default=DayCount.CALENDAR, converter=_as_day_count)
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_as_weekend)
    holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_as_holidays)

    def __attrs_post_init__(self) -> None:
        if self.past_due_after >= self.abandoned_after:
            raise ValidationError(
                "aging.abandoned_after",
                f"must be more than past_due_after ({self.past_due_after}),"
                f" got {self.abandoned_after}",
            )

    @classmethod
    def default(cls) -> AgingPolicy:
        """The defaults: 2 / 3 / 5 calendar days."""
        return cls()

    def is_business_day(self, day: dt.date) -> bool:
        """True unless ``day`` is a weekend day or a holiday (every day counts in ``CALENDAR``)."""
        if self.days is DayCount.CALENDAR:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays


def holiday_dates(
    country: str, years: Iterable[int], subdiv: str | None = None
) -> frozenset[dt.date]:
    """The public holidays of ``country`` (ISO 3166 code) in ``years``, for a policy's holidays.

    Needs the optional ``holidays`` package (``pip install contactlog-core[holidays]``).
    """
    try:
        # Imported here so the core package does not depend on it.
        import holidays  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise ValidationError(
            "holidays",
            "holiday calendars need the holidays package: pip install contactlog-core[holidays]",
        ) from None
    try:
        calendar = holidays.country_holidays(country, subdiv=subdiv, years=_years(years))
    except NotImplementedError as e:
        raise ValidationError("country", f"no holiday calendar for {country!r}: {e}") from None
    return frozenset(calendar.keys())


def _years(years: Iterable[int]) -> list[int]:
    chosen = list(years)
    for year in chosen:
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            raise ValidationError("years", f"{year!r:.60} is not a year from 1900 to 2200")
    return chosen
