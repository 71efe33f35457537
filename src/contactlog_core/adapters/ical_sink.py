"""ICalendarSink: each reminder as an RFC 5545 file, and one subscribable feed per person.

Needs the ``ical`` extra (``pip install contactlog-core[ical]``); the
``icalendar`` package is imported only when a sink is built.

Files live under ``directory/<recipient>/<key>.ics`` (both names made safe
for any file system). Each request rewrites its key's file, atomically and
synced to disk before ``deliver`` returns; a request with a lower
``sequence`` than the file's is ignored, so a late retry never undoes a newer
change. A cancelled reminder's file stays, as a tombstone with the highest
sequence (``METHOD:CANCEL``, ``STATUS:CANCELLED``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pendulum import DateTime

from contactlog_core.domain.logs.model import Priority
from contactlog_core.domain.organisations.model import StaffId
from contactlog_core.domain.reminders.plan import ReminderKind, ReminderRequest
from contactlog_core.errors import ValidationError
from contactlog_core.instants import to_micros

if TYPE_CHECKING:
    from icalendar import Calendar, Component, Timezone

__all__ = ["ALARM_MINUTES", "PRODID", "ICalendarSink", "ical_priority"]

PRODID = "-//contactlog_core//Reminders//EN"
ALARM_MINUTES = 15
_PRIORITY = {Priority.URGENT: 1, Priority.HIGH: 3, Priority.NORMAL: 5, Priority.LOW: 9}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_ONE_SECOND = dt.timedelta(seconds=1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def ical_priority(priority: Priority) -> int:
    """The iCalendar ``PRIORITY`` of ``priority``: 1 (urgent), 3, 5 (normal), 9 (low)."""
    return _PRIORITY[Priority(priority)]


def _require_icalendar() -> None:
    try:
        import icalendar  # noqa: F401
    except ImportError:
        raise ValidationError(
            "sink",
            "the iCalendar sink needs the icalendar package: pip install contactlog-core[ical]",
        ) from None


class ICalendarSink:
    """A ``ReminderSink`` writing ``.ics`` files under ``directory``; ``name`` defaults to ``"ical"``.

    ``alarm_minutes`` before the start (or due time) each reminder pops up;
    ``None`` for no alarm. One process should deliver to a directory at a
    time; on POSIX a lock file also keeps concurrent processes apart.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        name: str = "ical",
        prodid: str = PRODID,
        alarm_minutes: int | None = ALARM_MINUTES,
    ) -> None:
        _require_icalendar()
        if alarm_minutes is not None and (
            isinstance(alarm_minutes, bool)
            or not isinstance(alarm_minutes, int)
            or not 0 <= alarm_minutes <= 24 * 60
        ):
            raise ValidationError("alarm_minutes", f"expected 0 to 1440, got {alarm_minutes!r:.60}")
        self.directory = Path(directory)
        self.name = name
        self.prodid = prodid
        self.alarm_minutes = alarm_minutes
        self._lock = threading.Lock()

    def path_for(self, recipient: str, key: str) -> Path:
        """Where the reminder ``key`` of ``recipient`` is kept."""
        return self.directory / _safe_name(recipient) / f"{_safe_name(key)}.ics"

    def deliver(self, request: ReminderRequest) -> None:
        """Write the request's calendar file, unless the file already holds a newer sequence."""
        path = self.path_for(request.recipient, request.key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, _directory_lock(path.parent):
            held = _held_sequence(path)
            if held is not None and held > request.sequence:
                return
            _write_durably(path, self.calendar(request))

    def calendar(self, request: ReminderRequest) -> bytes:
        """The request as an iTIP message: ``METHOD:REQUEST``, or ``METHOD:CANCEL``."""
        component = _component(request, self.alarm_minutes)
        method = "CANCEL" if request.is_cancellation else "REQUEST"
        data: bytes = _calendar(self.prodid, method, [component]).to_ical()
        return data

    def feed(self, recipient: StaffId | str) -> bytes:
        """One calendar of every open (not cancelled) reminder of ``recipient``.

        Serve it at a secret per-person URL as ``text/calendar; charset=utf-8``
        for a calendar app to subscribe to; it is rebuilt from the files on
        each call.
        """
        from icalendar import Calendar

        folder = self.directory / _safe_name(recipient)
        parts = []
        for path in sorted(folder.glob("*.ics")):
            calendar = Calendar.from_ical(path.read_bytes())
            parts += [c for c in _reminders(calendar) if c.get("STATUS") != "CANCELLED"]
        parts.sort(key=lambda c: (_when(c), str(c.get("UID"))))
        data: bytes = _calendar(self.prodid, "PUBLISH", parts).to_ical()
        return data


def _safe_name(text: str) -> str:
    # Readable where it can be, unique by the digest, never "." or "..", short enough.
    readable = _UNSAFE.sub("_", text)[:80]
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{readable}-{digest}"


@contextlib.contextmanager
def _directory_lock(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: the in-process lock alone
        yield
        return
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _held_sequence(path: Path) -> int | None:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(path.read_bytes())
        return max(int(c.get("SEQUENCE", 0)) for c in _reminders(calendar))
    except (OSError, ValueError):
        return None  # missing or unreadable: the new request replaces it


def _write_durably(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if os.name == "posix":  # the rename itself survives a crash once the folder is synced
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _reminders(calendar: Component) -> list[Component]:
    return [c for c in calendar.subcomponents if c.name in ("VEVENT", "VTODO")]


def _when(component: Component) -> dt.datetime:
    value = component.decoded("DTSTART" if "DTSTART" in component else "DUE")
    assert isinstance(value, dt.datetime)
    return value


def _calendar(prodid: str, method: str, parts: list[Component]) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    for tzid, moments in sorted(_zoned_moments(parts).items()):
        calendar.add_component(_vtimezone(tzid, moments))
    for part in parts:
        calendar.add_component(part)
    return calendar


def _zoned_moments(parts: list[Component]) -> dict[str, list[dt.datetime]]:
    moments: dict[str, list[dt.datetime]] = {}
    for part in parts:
        for prop in ("DTSTART", "DTEND", "DUE"):
            if prop in part and "TZID" in part[prop].params:
                moments.setdefault(str(part[prop].params["TZID"]), []).append(part.decoded(prop))
    return moments


def _component(request: ReminderRequest, alarm_minutes: int | None) -> Component:
    from icalendar import Event, Todo

    as_event = request.kind is ReminderKind.EVENT or request.as_event
    start = _local(request.starts_at, request.timezone)
    part = Event() if as_event else Todo()
    part.add("uid", request.key)
    part.add("sequence", request.sequence)
    part.add("dtstamp", _local(request.issued_at, "UTC"))
    if as_event:
        end = start.astimezone(dt.UTC) + dt.timedelta(minutes=request.duration_minutes)
        part.add("dtstart", start)
        part.add("dtend", end.astimezone(start.tzinfo))
    else:
        part.add("due", start)
    part.add("summary", request.title)
    part.add("description", request.description)
    part.add("url", request.url)
    part.add("priority", ical_priority(request.priority))
    part.add("status", _status(as_event, request.is_cancellation))
    if alarm_minutes is not None and not request.is_cancellation:
        part.add_component(_alarm(request.title, alarm_minutes, related_to_end=not as_event))
    return part


def _status(as_event: bool, cancelled: bool) -> str:
    if cancelled:
        return "CANCELLED"
    return "CONFIRMED" if as_event else "NEEDS-ACTION"


def _alarm(title: str, minutes: int, *, related_to_end: bool) -> Component:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    # A task has no start: its alarm counts back from DUE (RFC 5545 3.8.6.3).
    related = {"RELATED": "END"} if related_to_end else {}
    alarm.add("trigger", -dt.timedelta(minutes=minutes), parameters=related)
    return alarm


def _local(instant: DateTime, zone: str) -> dt.datetime:
    """A plain datetime in the zone (a ``ZoneInfo``, so icalendar writes the IANA name as TZID)."""
    utc = _EPOCH + dt.timedelta(microseconds=to_micros(instant))
    return utc.astimezone(ZoneInfo(zone))


def _vtimezone(tzid: str, moments: Iterable[dt.datetime]) -> Timezone:
    """A VTIMEZONE for ``tzid`` from a year before the first moment to a year after the last.

    Built here rather than with icalendar's ``Timezone.from_tzid`` for two
    reasons: that helper is new in icalendar 6.1 (the extra allows 5.0), and
    it writes a DAYLIGHT onset in the new offset's wall time (03:00 in Berlin)
    where RFC 5545 3.6.5 reads it in ``TZOFFSETFROM`` (02:00), so a client
    that trusts the VTIMEZONE would start summer time an hour late.
    """

    from icalendar import Timezone

    zone = ZoneInfo(tzid)
    years = sorted(m.year for m in moments)
    start = dt.datetime(years[0] - 1, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(years[-1] + 2, 1, 1, tzinfo=dt.UTC)
    timezone = Timezone()
    timezone.add("tzid", tzid)
    timezone.add_component(_observance(zone, start, start))
    for change in _transitions(zone, start, end):
        timezone.add_component(_observance(zone, change, change - _ONE_SECOND))
    return timezone


def _observance(zone: ZoneInfo, onset: dt.datetime, just_before: dt.datetime) -> Component:
    from icalendar import TimezoneDaylight, TimezoneStandard

    old, new = just_before.astimezone(zone), onset.astimezone(zone)
    part = TimezoneDaylight() if new.dst() else TimezoneStandard()
    # The onset is written in local time of the offset in force before it (RFC 5545 3.6.5).
    part.add("dtstart", (onset + (old.utcoffset() or dt.timedelta())).replace(tzinfo=None))
    part.add("tzoffsetfrom", old.utcoffset())
    part.add("tzoffsetto", new.utcoffset())
    part.add("tzname", new.tzname() or new.strftime("%z"))
    return part


def _transitions(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> Iterator[dt.datetime]:
    """The instants (UTC, whole seconds) at which ``zone`` changes offset or name."""
    step = dt.timedelta(hours=6)
    low = start
    while low < end:
        high = low + step
        if _shown(zone, high) != _shown(zone, low):
            yield _bisect(zone, low, high)
        low = high


def _shown(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta | None, str | None]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname()


def _bisect(zone: ZoneInfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    before = _shown(zone, low)
    while high - low > _ONE_SECOND:
        middle = low + dt.timedelta(seconds=(high - low).total_seconds() // 2)
        if _shown(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high
