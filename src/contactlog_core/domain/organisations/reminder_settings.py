"""An organisation's reminder settings (docs/rules.md, "Contact logs" and "Organisations"), checked when built.

Apart from the plan of reminders (``domain.reminders.plan``) so that an
``Organisation`` can hold its settings without importing logs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

import attrs

from contactlog_core.errors import ValidationError

__all__ = [
    "MAX_DURATION_MINUTES",
    "PLACEHOLDER",
    "ReminderKind",
    "ReminderSettings",
    "check_duration",
    "check_reminder_settings",
]

MAX_DURATION_MINUTES = 24 * 60
MAX_LINK_LENGTH = 2_000
PLACEHOLDER = "{log_id}"


class ReminderKind(StrEnum):
    """A calendar appointment (``EVENT``) or an entry of a task list (``TASK``)."""

    EVENT = "event"
    TASK = "task"


def _flag(field: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def validate(_: object, __: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, bool):
            raise ValidationError(field, f"expected True or False, got {value!r:.60}")

    return validate


def check_duration(_: object, __: attrs.Attribute[Any], value: object) -> None:
    field = "reminders.appointment_duration_minutes"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"expected a whole number of minutes, got {value!r:.60}")
    if not 1 <= value <= MAX_DURATION_MINUTES:
        raise ValidationError(field, f"must be 1 to {MAX_DURATION_MINUTES} minutes, got {value}")


def _check_sink_name(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ValidationError("reminders.sink", f"expected a sink name, got {value!r:.60}")


def _check_link_template(_: object, __: attrs.Attribute[Any], value: object) -> None:
    field = "reminders.link_template"
    if not isinstance(value, str):
        raise ValidationError(field, f"expected text, got {type(value).__name__}")
    if value == "":
        return  # no link yet: allowed while the feature is off (see __attrs_post_init__)
    if len(value) > MAX_LINK_LENGTH or not value.isprintable() or " " in value:
        raise ValidationError(field, f"expected a URL of printable characters, got {value!r:.60}")
    if PLACEHOLDER not in value:
        raise ValidationError(field, f"must contain {PLACEHOLDER} where the log's id goes")
    rest = value.replace(PLACEHOLDER, "")
    if "{" in rest or "}" in rest:
        raise ValidationError(field, f"{PLACEHOLDER} is the only placeholder; no other braces")
    parts = urlsplit(rest)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(field, f"expected an http(s) URL, got {value!r:.60}")


@attrs.frozen
class ReminderSettings:
    """An organisation's reminder settings; every field is checked when it is built.

    ``enabled`` is the administrator's switch for the whole feature. For each
    follow-up the creator gets an appointment (``add_to_calendar``) and/or a
    task (``add_to_tasks``); with ``remind_assignees`` so do its assignee and
    forward-to person. Only follow-ups of a log's first save are reminded,
    unless ``remind_later_follow_ups``. ``link_template`` is the host app's
    page of a log, with ``{log_id}`` where the id goes (required once
    enabled). ``tasks_as_events`` sends tasks as appointments, for calendars
    that ignore tasks. ``sink`` names the sink that delivers them.
    """

    enabled: bool = attrs.field(default=False, validator=_flag("reminders.enabled"))
    add_to_calendar: bool = attrs.field(default=True, validator=_flag("reminders.add_to_calendar"))
    add_to_tasks: bool = attrs.field(default=False, validator=_flag("reminders.add_to_tasks"))
    appointment_duration_minutes: int = attrs.field(default=15, validator=check_duration)
    sink: str = attrs.field(default="ical", validator=_check_sink_name)
    link_template: str = attrs.field(default="", validator=_check_link_template)
    remind_assignees: bool = attrs.field(
        default=False, validator=_flag("reminders.remind_assignees")
    )
    remind_later_follow_ups: bool = attrs.field(
        default=False, validator=_flag("reminders.remind_later_follow_ups")
    )
    tasks_as_events: bool = attrs.field(default=False, validator=_flag("reminders.tasks_as_events"))

    def __attrs_post_init__(self) -> None:
        if self.enabled and not self.link_template:
            raise ValidationError("reminders.link_template", "required when reminders are enabled")

    @property
    def kinds(self) -> tuple[ReminderKind, ...]:
        """The kinds of reminder each recipient gets (none while disabled)."""
        if not self.enabled:
            return ()
        wanted = {ReminderKind.EVENT: self.add_to_calendar, ReminderKind.TASK: self.add_to_tasks}
        return tuple(kind for kind, on in wanted.items() if on)

    def link(self, log_id: str) -> str:
        """The link to the log: the template with the id, percent-encoded, in place."""
        return self.link_template.replace(PLACEHOLDER, quote(log_id, safe=""))


_SETTING_NAMES = tuple(a.name for a in attrs.fields(ReminderSettings))


def check_reminder_settings(value: object, known_sinks: Collection[str]) -> ReminderSettings:
    """``value`` (settings, or a mapping of their fields) checked, with a sink in ``known_sinks``.

    Anything wrong raises ``ValidationError`` naming the field, such as
    ``reminders.appointment_duration_minutes``.
    """
    if isinstance(value, Mapping):
        if unknown := sorted(str(k) for k in value if k not in _SETTING_NAMES):
            raise ValidationError("reminders", f"unknown settings: {', '.join(unknown)}")
        value = ReminderSettings(**{str(k): v for k, v in value.items()})
    if not isinstance(value, ReminderSettings):
        raise ValidationError(
            "reminders", f"expected ReminderSettings or a mapping, got {type(value).__name__}"
        )
    if value.sink not in known_sinks:
        known = ", ".join(sorted(known_sinks)) or "none"
        raise ValidationError("reminders.sink", f"unknown sink {value.sink!r} (known: {known})")
    return value
