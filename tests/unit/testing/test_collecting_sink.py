"""CollectingSink: the in-memory reminder sink users test against."""

from __future__ import annotations

import doctest

import attrs
import pytest

from contactlog_core import FollowUpId, LogId, Priority, StaffId
from contactlog_core.domain.reminders.plan import (
    ReminderAction,
    ReminderKind,
    ReminderRequest,
    reminder_key,
)
from contactlog_core.ports import ReminderSink
from contactlog_core.testing import collecting_sink
from contactlog_core.testing.collecting_sink import CollectingSink
from tests.support.seeds import NOW, ORG


def request(
    fu: str = "f1", recipient: str = "alice", sequence: int = 0, action: str = "upsert"
) -> ReminderRequest:
    return ReminderRequest(
        key=reminder_key(ORG, "log-1", fu, recipient, ReminderKind.EVENT),
        sequence=sequence,
        action=ReminderAction(action),
        kind=ReminderKind.EVENT,
        org_id=ORG,
        log_id=LogId("log-1"),
        follow_up_id=FollowUpId(fu),
        recipient=StaffId(recipient),
        starts_at=NOW.add(days=1, hours=sequence),
        duration_minutes=15,
        timezone="Europe/London",
        title="Follow up: Bus times",
        description="call back",
        url="https://school.example/logs/log-1",
        priority=Priority.NORMAL,
        issued_at=NOW,
    )


@pytest.fixture
def sink() -> CollectingSink:
    return CollectingSink()


def test_it_is_a_reminder_sink_with_a_name(sink: CollectingSink) -> None:
    as_port: ReminderSink = sink
    assert as_port.name == "collecting"
    assert CollectingSink("exchange").name == "exchange"


def test_an_upsert_shows_and_a_later_sequence_replaces_it(sink: CollectingSink) -> None:
    first, moved = request(), request(sequence=1)
    sink.deliver(first)
    sink.deliver(moved)
    assert sink.open_reminders() == {first.key: moved}
    assert sink.deliveries == [first, moved]


def test_a_cancellation_removes_the_reminder(sink: CollectingSink) -> None:
    sink.deliver(request())
    sink.deliver(request(sequence=1, action="cancel"))
    assert sink.open_reminders() == {}
    assert sink.latest()[request().key].is_cancellation


def test_a_stale_sequence_arriving_late_changes_nothing(sink: CollectingSink) -> None:
    sink.deliver(request(sequence=2, action="cancel"))
    sink.deliver(request(sequence=1))
    assert sink.open_reminders() == {}
    assert sink.delivered(request().key) == [2, 1]


def test_the_same_request_twice_leaves_one_reminder(sink: CollectingSink) -> None:
    sink.deliver(request())
    sink.deliver(request())
    assert sink.open_reminders() == {request().key: request()}
    assert len(sink.deliveries) == 2


def test_open_reminders_of_one_person(sink: CollectingSink) -> None:
    for person in ("alice", "bob"):
        sink.deliver(request(recipient=person))
    assert [r.recipient for r in sink.open_reminders("bob").values()] == ["bob"]
    assert len(sink.open_reminders()) == 2


def test_told_to_fail_it_raises_and_records_nothing_then_recovers(sink: CollectingSink) -> None:
    sink.fail_next(2)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            sink.deliver(request())
    assert sink.deliveries == []
    sink.deliver(request())
    assert sink.open_reminders() == {request().key: request()}
    assert sink.failures_left == 0


def test_it_fails_with_the_error_it_is_given(sink: CollectingSink) -> None:
    sink.fail_next(error=TimeoutError("the calendar server is slow"))
    with pytest.raises(TimeoutError, match="slow"):
        sink.deliver(request())


def test_an_outbox_retrying_until_delivered_ends_with_one_reminder_per_key(
    sink: CollectingSink,
) -> None:
    outbox = [request(), request(fu="f2"), request(sequence=1), request(fu="f2", sequence=1)]
    outbox[-1] = attrs.evolve(outbox[-1], action=ReminderAction.CANCEL)
    sink.fail_next(3)
    while outbox:
        try:
            sink.deliver(outbox[0])
        except ConnectionError:
            continue
        outbox.pop(0)
    assert sink.open_reminders() == {request().key: request(sequence=1)}


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(collecting_sink, raise_on_error=True).failed == 0
