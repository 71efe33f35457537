"""ICalendarSink: the .ics files it writes, parsed back with icalendar, field by field."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest

from contactlog_core import (
    Actor,
    ContactLog,
    FollowUpDraft,
    FollowUpId,
    LogId,
    Priority,
    StaffId,
    ValidationError,
)
from contactlog_core.adapters.ical_sink import ICalendarSink
from contactlog_core.domain.logs import commands
from contactlog_core.domain.reminders.plan import (
    ReminderAction,
    ReminderRequest,
    ReminderSettings,
    plan_reminders,
)
from contactlog_core.ports import ReminderSink
from tests.support.seeds import NOW, make_staff

icalendar = pytest.importorskip("icalendar")

ZONE = "Europe/Berlin"
LINK = "https://school.example/logs/{log_id}"
SETTINGS = ReminderSettings(
    enabled=True, add_to_tasks=True, link_template=LINK, appointment_duration_minutes=30
)
# Sunday 29 March 2026 Berlin moves from CET (+01:00) to CEST (+02:00); this is the Monday after.
MONDAY_9_BERLIN = pendulum.datetime(2026, 3, 30, 9, tz=ZONE)
RECORDED = pendulum.datetime(2026, 3, 20, 9, tz="UTC")


def reminders_of(
    actor: Actor,
    due: pendulum.DateTime = MONDAY_9_BERLIN,
    settings: ReminderSettings = SETTINGS,
    log_id: str = "log-1",
    **fields: Any,
) -> tuple[ReminderRequest, ReminderRequest]:
    """The event and the task of a new log with one follow-up, as the planner makes them."""
    draft = FollowUpDraft(due_at=due, reason="call back", priority=Priority.HIGH, **fields)
    fu = commands.new_follow_up(FollowUpId("f1"), draft, RECORDED)
    log: ContactLog = commands.record(
        log_id=LogId(log_id),
        actor=actor,
        now=RECORDED,
        contact=None,
        subject="Bus times",
        follow_ups=[fu],
    ).after
    event, task = plan_reminders(None, log, settings, timezone=ZONE, sent={})
    return event, task


def parse(data: bytes) -> Any:
    return icalendar.Calendar.from_ical(data)


def only(calendar: Any, name: str) -> Any:
    (component,) = calendar.walk(name)
    return component


def read(sink: ICalendarSink, request: ReminderRequest) -> Any:
    return parse(sink.path_for(request.recipient, request.key).read_bytes())


@pytest.fixture
def alice() -> Actor:
    return Actor.of(make_staff("alice", "office_admin"))


@pytest.fixture
def sink(tmp_path: Path) -> ICalendarSink:
    return ICalendarSink(tmp_path / "calendars")


@pytest.fixture
def event(alice: Actor) -> ReminderRequest:
    return reminders_of(alice)[0]


@pytest.fixture
def task(alice: Actor) -> ReminderRequest:
    return reminders_of(alice)[1]


def moved(request: ReminderRequest, sequence: int, **changes: Any) -> ReminderRequest:
    return attrs.evolve(request, sequence=sequence, issued_at=NOW, **changes)


def test_it_is_a_reminder_sink_called_ical(sink: ICalendarSink) -> None:
    as_port: ReminderSink = sink
    assert as_port.name == "ical"


def test_an_appointment_is_an_rfc_5545_request_field_by_field(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    sink.deliver(event)
    calendar = read(sink, event)
    assert (calendar["VERSION"], calendar["METHOD"]) == ("2.0", "REQUEST")
    assert "contactlog_core" in calendar["PRODID"]
    vevent = only(calendar, "VEVENT")
    assert vevent["UID"] == event.key == "northfield.log-1.f1.alice.event@contactlog"
    assert vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTAMP") == dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)
    assert vevent["DTSTART"].params["TZID"] == ZONE
    assert vevent["DTEND"].params["TZID"] == ZONE
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        dt.datetime(2026, 3, 30, 9, 0),
        dt.datetime(2026, 3, 30, 9, 30),
    )
    assert vevent["SUMMARY"] == "Follow up: Bus times"
    assert "call back" in vevent["DESCRIPTION"]
    assert "https://school.example/logs/log-1" in vevent["DESCRIPTION"]
    assert vevent["URL"] == "https://school.example/logs/log-1"
    assert vevent["PRIORITY"] == 3
    assert vevent["STATUS"] == "CONFIRMED"
    alarm = only(vevent, "VALARM")
    assert (alarm["ACTION"], alarm.decoded("TRIGGER")) == ("DISPLAY", -dt.timedelta(minutes=15))
    assert only(calendar, "VTIMEZONE")["TZID"] == ZONE


def test_the_day_after_the_spring_change_09_00_berlin_is_09_00_at_plus_two(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    assert event.starts_at == pendulum.datetime(2026, 3, 30, 7, tz="UTC")
    sink.deliver(event)
    start = only(read(sink, event), "VEVENT").decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (9, 0, dt.timedelta(hours=2))
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 3, 30, 7, tzinfo=dt.UTC)


def test_the_vtimezone_dates_each_change_in_the_offset_it_leaves(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    # RFC 5545 3.6.5: an observance's DTSTART is local time in its TZOFFSETFROM.
    sink.deliver(event)
    timezone = only(read(sink, event), "VTIMEZONE")
    onsets = {
        (part.name, part.decoded("DTSTART")): (
            part.decoded("TZOFFSETFROM"),
            part.decoded("TZOFFSETTO"),
        )
        for part in timezone.subcomponents
    }
    hour = dt.timedelta(hours=1)
    assert onsets[("DAYLIGHT", dt.datetime(2026, 3, 29, 2, 0))] == (hour, 2 * hour)
    assert onsets[("STANDARD", dt.datetime(2026, 10, 25, 3, 0))] == (2 * hour, hour)


def test_an_update_keeps_the_uid_and_file_and_bumps_the_sequence(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    sink.deliver(event)
    path = sink.path_for(event.recipient, event.key)
    sink.deliver(moved(event, 1, starts_at=MONDAY_9_BERLIN.add(days=1, hours=2)))
    vevent = only(read(sink, event), "VEVENT")
    assert (vevent["UID"], vevent["SEQUENCE"]) == (event.key, 1)
    assert vevent.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 3, 31, 11, 0)
    assert list(path.parent.glob("*.ics")) == [path]


def test_a_cancellation_is_method_cancel_and_status_cancelled(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    sink.deliver(event)
    sink.deliver(moved(event, 1, action=ReminderAction.CANCEL))
    calendar = read(sink, event)
    vevent = only(calendar, "VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert (vevent["UID"], vevent["SEQUENCE"], vevent["STATUS"]) == (event.key, 1, "CANCELLED")
    assert vevent.walk("VALARM") == []


def test_a_stale_sequence_does_not_overwrite_a_newer_file(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    newer = moved(event, 2, action=ReminderAction.CANCEL)
    sink.deliver(newer)
    sink.deliver(moved(event, 1))
    sink.deliver(event)
    assert sink.path_for(event.recipient, event.key).read_bytes() == sink.calendar(newer)


def test_delivering_the_same_request_twice_writes_the_same_file(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    sink.deliver(event)
    path = sink.path_for(event.recipient, event.key)
    first = path.read_bytes()
    sink.deliver(event)
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir() if p.name != ".lock"] == [path.name]


def test_a_task_is_a_vtodo_due_at_the_follow_up(sink: ICalendarSink, task: ReminderRequest) -> None:
    sink.deliver(task)
    todo = only(read(sink, task), "VTODO")
    assert todo["UID"] == task.key
    assert todo["DUE"].params["TZID"] == ZONE
    assert todo.decoded("DUE").replace(tzinfo=None) == dt.datetime(2026, 3, 30, 9, 0)
    assert todo["STATUS"] == "NEEDS-ACTION"
    assert "https://school.example/logs/log-1" in todo["DESCRIPTION"]
    alarm = only(todo, "VALARM")
    assert alarm["TRIGGER"].params["RELATED"] == "END"

    sink.deliver(moved(task, 1, action=ReminderAction.CANCEL))
    cancelled = read(sink, task)
    assert (cancelled["METHOD"], only(cancelled, "VTODO")["STATUS"]) == ("CANCEL", "CANCELLED")


def test_tasks_as_events_writes_the_task_as_an_event_of_its_own(
    sink: ICalendarSink, alice: Actor
) -> None:
    event, task = reminders_of(alice, settings=attrs.evolve(SETTINGS, tasks_as_events=True))
    sink.deliver(event)
    sink.deliver(task)
    as_event = read(sink, task)
    assert as_event.walk("VTODO") == []
    assert only(as_event, "VEVENT")["UID"] == task.key != event.key
    assert only(as_event, "VEVENT")["STATUS"] == "CONFIRMED"


def test_the_feed_holds_exactly_the_open_reminders_of_one_person(
    sink: ICalendarSink, alice: Actor
) -> None:
    bob = Actor.of(make_staff("bob", "office_admin"))
    kept_event, kept_task = reminders_of(alice)
    cancelled_event, _ = reminders_of(alice, log_id="log-2", due=MONDAY_9_BERLIN.add(days=2))
    bobs_event, _ = reminders_of(bob, log_id="log-3")
    for request in (kept_event, kept_task, cancelled_event, bobs_event):
        sink.deliver(request)
    sink.deliver(moved(cancelled_event, 1, action=ReminderAction.CANCEL))

    feed = parse(sink.feed(StaffId("alice")))
    assert feed["METHOD"] == "PUBLISH"
    uids = sorted(str(c["UID"]) for c in feed.walk() if c.name in ("VEVENT", "VTODO"))
    assert uids == sorted([kept_event.key, kept_task.key])
    assert [tz["TZID"] for tz in feed.walk("VTIMEZONE")] == [ZONE]
    assert [str(c["UID"]) for c in parse(sink.feed("bob")).walk("VEVENT")] == [bobs_event.key]


def test_the_feed_of_someone_without_reminders_is_an_empty_calendar(sink: ICalendarSink) -> None:
    feed = parse(sink.feed("nobody"))
    assert feed["VERSION"] == "2.0"
    assert feed.subcomponents == []


def test_an_organisation_on_utc_needs_no_vtimezone(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    utc = attrs.evolve(event, timezone="UTC")
    sink.deliver(utc)
    calendar = read(sink, utc)
    assert calendar.walk("VTIMEZONE") == []
    assert only(calendar, "VEVENT").decoded("DTSTART") == dt.datetime(2026, 3, 30, 7, tzinfo=dt.UTC)


def test_any_key_or_recipient_makes_a_file_inside_the_directory(
    sink: ICalendarSink, event: ReminderRequest
) -> None:
    odd = attrs.evolve(event, key="../../etc/passwd@x", recipient=StaffId("../..\\ /é"))
    sink.deliver(odd)
    path = sink.path_for(odd.recipient, odd.key)
    assert path.is_file()
    assert path.resolve().is_relative_to(sink.directory.resolve())
    assert ".." not in path.relative_to(sink.directory).parts


def test_no_alarm_when_asked_for_none(tmp_path: Path, event: ReminderRequest) -> None:
    quiet = ICalendarSink(tmp_path, alarm_minutes=None)
    assert only(parse(quiet.calendar(event)), "VEVENT").walk("VALARM") == []


@pytest.mark.parametrize("minutes", [-1, 1441, True, "15"])
def test_an_alarm_time_out_of_range_is_refused(tmp_path: Path, minutes: Any) -> None:
    with pytest.raises(ValidationError) as e:
        ICalendarSink(tmp_path, alarm_minutes=minutes)
    assert e.value.field == "alarm_minutes"


def test_without_icalendar_the_sink_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(ValidationError, match=r"contactlog-core\[ical\]") as e:
        ICalendarSink(tmp_path)
    assert e.value.field == "sink"
