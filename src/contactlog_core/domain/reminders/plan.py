"""Reminders of follow-ups (docs/rules.md, "Contact logs"): the settings, and the pure plan of what to send.

A reminder is a calendar appointment and/or a task, one per outstanding
follow-up, recipient and kind, linked back to its log. The library never
sends one itself: each save of a log asks :func:`plan_reminders` what to
send, writes the answer to an outbox in the same unit of work, and a worker
hands each request to a ``ReminderSink``.

The plan reconciles two pictures: the reminders the log asks for now, and
the last request sent for each key (``sent``, read from the outbox). A
reminder that is wanted and was never sent is created; one whose content
changed (a rescheduled follow-up) is sent again under the same key with the
next ``sequence``; one no longer wanted (done, removed, the log completed,
the recipient dropped) is cancelled. Saving twice in a row plans nothing the
second time.

>>> settings = ReminderSettings(enabled=True, link_template="https://school.example/logs/{log_id}")
>>> settings.link("log 7")
'https://school.example/logs/log%207'
>>> reminder_key("northfield", "log-1", "f1", "alice", ReminderKind.EVENT)
'northfield.log-1.f1.alice.event@contactlog'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.logs.model import ContactLog, FollowUp, FollowUpId, LogId, Priority
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.organisations.reminder_settings import (
    MAX_DURATION_MINUTES,
    PLACEHOLDER,
    ReminderKind,
    ReminderSettings,
    check_duration,
    check_reminder_settings,
)
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_aware, require_timezone

__all__ = [
    "KEY_DOMAIN",
    "MAX_DURATION_MINUTES",
    "PLACEHOLDER",
    "ReminderAction",
    "ReminderKind",
    "ReminderRequest",
    "ReminderSettings",
    "check_reminder_settings",
    "last_sent",
    "plan_reminders",
    "reminder_key",
]

KEY_DOMAIN = "contactlog"
# Characters kept as they are in a key part; every other one is percent-encoded, so the
# dots between parts are unambiguous and a key is a valid RFC 5322 dot-atom "local@domain".
_KEY_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class ReminderAction(StrEnum):
    """What a request does to its key's reminder: create or update it, or cancel it."""

    UPSERT = "upsert"
    CANCEL = "cancel"


def _key_part(text: str) -> str:
    return "".join(c if c in _KEY_SAFE else _percent(c) for c in text)


def _percent(char: str) -> str:
    # urllib's quote() never encodes ".", which separates the parts here.
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def reminder_key(
    org_id: str, log_id: str, follow_up_id: str, recipient: str, kind: ReminderKind
) -> str:
    """The idempotency key of one reminder; a sink may use it as the iCalendar UID.

    Stable for one follow-up, recipient and kind. Each id is percent-encoded
    (dots too), so the parts never run into each other.
    """
    parts = (org_id, log_id, follow_up_id, recipient, str(kind))
    return ".".join(_key_part(p) for p in parts) + "@" + KEY_DOMAIN


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(attribute.name, f"expected a whole number >= 0, got {value!r:.60}")


def _aware_start(value: object) -> DateTime:
    return require_aware(value, "starts_at")


def _aware_issued(value: object) -> DateTime:
    return require_aware(value, "issued_at")


@attrs.frozen
class ReminderRequest:
    """One request to a sink: create, update or cancel the reminder called ``key``.

    ``sequence`` starts at 0 and grows by one with every request for the same
    key; a sink keeps the highest it has seen. ``starts_at`` is an instant
    (UTC); a sink shows it in ``timezone``, the organisation's zone. A task
    is due at ``starts_at``; an appointment lasts ``duration_minutes``.
    ``as_event`` asks for a ``TASK`` to be shown as an appointment.
    ``issued_at`` is when the change was saved (an iCalendar ``DTSTAMP``).
    """

    key: str
    sequence: int = attrs.field(validator=_non_negative)
    action: ReminderAction = attrs.field(converter=ReminderAction)
    kind: ReminderKind = attrs.field(converter=ReminderKind)
    org_id: OrgId
    log_id: LogId
    follow_up_id: FollowUpId
    recipient: StaffId
    starts_at: DateTime = attrs.field(converter=_aware_start)
    duration_minutes: int = attrs.field(validator=check_duration)
    timezone: str
    title: str
    description: str
    url: str
    priority: Priority = attrs.field(converter=Priority)
    issued_at: DateTime = attrs.field(converter=_aware_issued)
    sink: str = "ical"
    as_event: bool = False

    @property
    def is_cancellation(self) -> bool:
        """True for a ``CANCEL``: the reminder is to disappear."""
        return self.action is ReminderAction.CANCEL

    def same_content(self, other: ReminderRequest) -> bool:
        """True when both show the recipient the same thing (sequence and stamp aside)."""
        return _content(self) == _content(other)


# Not what a recipient sees. The sink is left out too: a new sink takes new requests only.
_NOT_CONTENT = frozenset({"sequence", "issued_at", "sink"})


def _content(r: ReminderRequest) -> tuple[object, ...]:
    return tuple(
        getattr(r, a.name) for a in attrs.fields(ReminderRequest) if a.name not in _NOT_CONTENT
    )


def last_sent(requests: Iterable[ReminderRequest]) -> dict[str, ReminderRequest]:
    """The request with the highest sequence of each key: what ``plan_reminders`` calls ``sent``."""
    latest: dict[str, ReminderRequest] = {}
    for request in requests:
        held = latest.get(request.key)
        if held is None or request.sequence > held.sequence:
            latest[request.key] = request
    return latest


def plan_reminders(
    before: ContactLog | None,
    after: ContactLog,
    settings: ReminderSettings,
    *,
    timezone: str,
    sent: Mapping[str, ReminderRequest],
) -> list[ReminderRequest]:
    """The requests that bring the reminders of ``after`` up to date; ``[]`` if none.

    ``before`` is the log as it was stored (``None`` on its first save);
    ``sent`` holds the last request of each key of this log (see
    :func:`last_sent`); ``timezone`` is the organisation's zone. While
    ``settings.enabled`` is false nothing is planned, not even cancellations.

    A follow-up is reminded if it is outstanding and it came with the first
    save, or was reminded before (so a reopened log gets its reminders back),
    or ``remind_later_follow_ups`` is set. Changing a follow-up's assignee is
    a plain save: the old person's reminder is cancelled and the new
    person's created (with ``remind_assignees``).
    """
    if not settings.enabled:
        return []
    timezone = require_timezone(timezone)
    ours = {k: r for k, r in sent.items() if (r.org_id, r.log_id) == (after.org_id, after.id)}
    reminded = {r.follow_up_id for r in ours.values()}
    all_outstanding = settings.remind_later_follow_ups or before is None
    due = [f for f in after.outstanding_follow_ups if all_outstanding or f.id in reminded]
    wanted = {r.key: r for r in _wanted(after, due, settings, timezone)}
    plan = [_update(r, ours.get(key)) for key, r in wanted.items()]
    plan += [_cancel(ours[key], after) for key in sorted(ours.keys() - wanted.keys())]
    return [r for r in plan if r is not None]


def _update(wanted: ReminderRequest, last: ReminderRequest | None) -> ReminderRequest | None:
    if last is None:
        return wanted
    if last.same_content(wanted):
        return None
    return attrs.evolve(wanted, sequence=last.sequence + 1)


def _cancel(last: ReminderRequest, after: ContactLog) -> ReminderRequest | None:
    if last.is_cancellation:
        return None
    return attrs.evolve(
        last, action=ReminderAction.CANCEL, sequence=last.sequence + 1, issued_at=after.updated_at
    )


def _wanted(
    log: ContactLog, follow_ups: Iterable[FollowUp], settings: ReminderSettings, timezone: str
) -> Iterator[ReminderRequest]:
    for follow_up in follow_ups:
        for recipient in _recipients(log, follow_up, settings):
            for kind in settings.kinds:
                yield _request(log, follow_up, recipient, kind, settings, timezone)


def _recipients(log: ContactLog, follow_up: FollowUp, settings: ReminderSettings) -> list[StaffId]:
    people = [log.created_by]
    if settings.remind_assignees:
        people += [p for p in (follow_up.assigned_to, follow_up.forward_to) if p is not None]
    return list(dict.fromkeys(people))


def _request(
    log: ContactLog,
    follow_up: FollowUp,
    recipient: StaffId,
    kind: ReminderKind,
    settings: ReminderSettings,
    timezone: str,
) -> ReminderRequest:
    url = settings.link(log.id)
    # The reason and the link only: the contact's name stays in the log, not in outside calendars.
    lines = [follow_up.reason] if follow_up.reason else []
    return ReminderRequest(
        key=reminder_key(log.org_id, log.id, follow_up.id, recipient, kind),
        sequence=0,
        action=ReminderAction.UPSERT,
        kind=kind,
        org_id=log.org_id,
        log_id=log.id,
        follow_up_id=follow_up.id,
        recipient=recipient,
        starts_at=follow_up.due_at,
        duration_minutes=settings.appointment_duration_minutes,
        timezone=timezone,
        title=f"Follow up: {log.subject}",
        description="\n".join([*lines, f"Open the log: {url}"]),
        url=url,
        priority=follow_up.priority,
        issued_at=log.updated_at,
        sink=settings.sink,
        as_event=kind is ReminderKind.TASK and settings.tasks_as_events,
    )
