"""Reminder settings: every bad value is refused with a ValidationError naming its field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contactlog_core.domain.reminders.plan import (
    MAX_DURATION_MINUTES,
    ReminderKind,
    ReminderSettings,
    check_reminder_settings,
)
from contactlog_core.errors import ValidationError
from contactlog_core.serialization import structure, unstructure

LINK = "https://school.example/logs/{log_id}"
SINKS = frozenset({"ical", "exchange"})


def enabled(**fields: Any) -> ReminderSettings:
    return ReminderSettings(**{"enabled": True, "link_template": LINK, **fields})


def refused(field: str, **fields: Any) -> ValidationError:
    with pytest.raises(ValidationError) as e:
        check_reminder_settings({"enabled": True, "link_template": LINK, **fields}, SINKS)
    assert e.value.field == field
    return e.value


def test_the_feature_is_off_until_an_administrator_enables_it() -> None:
    settings = ReminderSettings()
    assert settings.enabled is False
    assert settings.kinds == ()
    assert (settings.sink, settings.remind_assignees, settings.remind_later_follow_ups) == (
        "ical",
        False,
        False,
    )


def test_enabled_settings_send_the_kinds_switched_on() -> None:
    assert enabled().kinds == (ReminderKind.EVENT,)
    assert enabled(add_to_tasks=True).kinds == (ReminderKind.EVENT, ReminderKind.TASK)
    assert enabled(add_to_calendar=False, add_to_tasks=True).kinds == (ReminderKind.TASK,)


@pytest.mark.parametrize("minutes", [0, 10_000, -15, MAX_DURATION_MINUTES + 1])
def test_an_appointment_of_zero_or_too_many_minutes_is_refused(minutes: int) -> None:
    error = refused("reminders.appointment_duration_minutes", appointment_duration_minutes=minutes)
    assert str(minutes) in str(error)


@pytest.mark.parametrize("minutes", [True, 15.0, "15", None])
def test_a_duration_that_is_not_a_whole_number_is_refused(minutes: object) -> None:
    refused("reminders.appointment_duration_minutes", appointment_duration_minutes=minutes)


@given(st.integers(min_value=1, max_value=MAX_DURATION_MINUTES))
def test_every_duration_from_one_minute_to_a_day_is_accepted(minutes: int) -> None:
    assert enabled(appointment_duration_minutes=minutes).appointment_duration_minutes == minutes


@given(st.integers().filter(lambda n: not 1 <= n <= MAX_DURATION_MINUTES))
def test_every_duration_outside_a_day_is_refused(minutes: int) -> None:
    with pytest.raises(ValidationError):
        enabled(appointment_duration_minutes=minutes)


def test_an_unknown_sink_is_refused_and_the_known_ones_are_listed() -> None:
    error = refused("reminders.sink", sink="carrier-pigeon")
    assert "carrier-pigeon" in str(error)
    assert "exchange, ical" in str(error)
    assert check_reminder_settings(enabled(sink="exchange"), SINKS).sink == "exchange"


@pytest.mark.parametrize("sink", ["", "  ", 7, None])
def test_a_sink_name_must_be_text(sink: object) -> None:
    refused("reminders.sink", sink=sink)


@pytest.mark.parametrize(
    "template",
    [
        "https://school.example/logs/",
        "https://school.example/logs/{id}",
        "https://school.example/logs/{log_id}?tab={tab}",
        "https://school.example/logs/{log_id}}",
        "https://school.example/logs/{ log_id }",
        "ftp://school.example/logs/{log_id}",
        "javascript:alert({log_id})",
        "https:///logs/{log_id}",
        "/logs/{log_id}",
        "https://school.example/my logs/{log_id}",
        "https://school.example/logs/{log_id}\n",
        "https://school.example/" + "x" * 2_000 + "/{log_id}",
        42,
    ],
)
def test_a_link_template_without_exactly_the_log_id_placeholder_or_not_http_is_refused(
    template: object,
) -> None:
    refused("reminders.link_template", link_template=template)


def test_enabling_reminders_needs_a_link_template() -> None:
    with pytest.raises(ValidationError) as e:
        ReminderSettings(enabled=True)
    assert e.value.field == "reminders.link_template"
    assert ReminderSettings(enabled=False).link_template == ""


def test_the_link_puts_the_percent_encoded_id_in_every_placeholder() -> None:
    settings = enabled(link_template="http://localhost:8000/logs/{log_id}?back={log_id}")
    assert settings.link("a/b c") == "http://localhost:8000/logs/a%2Fb%20c?back=a%2Fb%20c"


@pytest.mark.parametrize(
    "field",
    [
        "enabled",
        "add_to_calendar",
        "add_to_tasks",
        "remind_assignees",
        "remind_later_follow_ups",
        "tasks_as_events",
    ],
)
@pytest.mark.parametrize("value", [1, 0, "yes", "False", None])
def test_a_switch_must_be_a_real_bool(field: str, value: object) -> None:
    refused(f"reminders.{field}", **{field: value})


def test_settings_from_a_mapping_equal_the_same_settings_built_directly() -> None:
    data = {"enabled": True, "link_template": LINK, "add_to_tasks": True, "sink": "ical"}
    assert check_reminder_settings(data, SINKS) == enabled(add_to_tasks=True)


def test_settings_round_trip_through_the_converter() -> None:
    settings = enabled(add_to_tasks=True, remind_assignees=True, appointment_duration_minutes=45)
    assert structure(unstructure(settings), ReminderSettings) == settings


def test_an_unknown_setting_is_refused_by_name() -> None:
    error = refused("reminders", remind_everyone=True)
    assert "remind_everyone" in str(error)


@pytest.mark.parametrize("value", [None, "enabled=true", [("enabled", True)]])
def test_settings_must_be_settings_or_a_mapping(value: object) -> None:
    with pytest.raises(ValidationError) as e:
        check_reminder_settings(value, SINKS)
    assert e.value.field == "reminders"


def test_a_refused_setting_is_a_value_error_for_plain_python() -> None:
    with pytest.raises(ValueError, match="appointment_duration_minutes"):
        enabled(appointment_duration_minutes=0)
