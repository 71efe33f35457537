"""The reminder plan: what a save of a log sends to the recipients' calendars."""

from __future__ import annotations

import doctest
from collections.abc import Iterable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from pendulum import DateTime

from contactlog_core import (
    Actor,
    ContactLog,
    ContactRef,
    FollowUp,
    FollowUpDraft,
    FollowUpId,
    LogId,
    LogStatus,
    Policy,
    Priority,
    StaffId,
    ValidationError,
)
from contactlog_core.domain.logs import commands
from contactlog_core.domain.reminders import plan as reminders
from contactlog_core.domain.reminders.plan import (
    ReminderAction,
    ReminderKind,
    ReminderRequest,
    ReminderSettings,
    last_sent,
    plan_reminders,
    reminder_key,
)
from contactlog_core.serialization import structure, unstructure
from contactlog_core.testing.collecting_sink import CollectingSink
from tests.support.seeds import NOW, make_staff
from tests.support.sizes import examples

ZONE = "Europe/London"
LINK = "https://school.example/logs/{log_id}"
ON = ReminderSettings(enabled=True, link_template=LINK)
BOTH = attrs.evolve(ON, add_to_tasks=True)
LATER = NOW.add(hours=1)


def follow_up(fu_id: str, days: int = 1, **fields: Any) -> FollowUp:
    draft = FollowUpDraft(due_at=NOW.add(days=days), **{"reason": "call back", **fields})
    return commands.new_follow_up(FollowUpId(fu_id), draft, NOW)


def record(actor: Actor, *follow_ups: FollowUp) -> ContactLog:
    return commands.record(
        log_id=LogId("log-1"),
        actor=actor,
        now=NOW,
        contact=ContactRef("p-7", "Mrs Patel"),
        subject="Bus times",
        follow_ups=follow_ups,
    ).after


def plan(
    before: ContactLog | None,
    after: ContactLog,
    settings: ReminderSettings = ON,
    sent: Iterable[ReminderRequest] = (),
) -> list[ReminderRequest]:
    return plan_reminders(before, after, settings, timezone=ZONE, sent=last_sent(sent))


def summary(requests: Iterable[ReminderRequest]) -> list[tuple[str, str, str, str, int]]:
    return [(r.follow_up_id, r.recipient, r.kind, r.action, r.sequence) for r in requests]


@pytest.fixture
def logged(office_admin: Actor) -> ContactLog:
    """Alice's new log with one follow-up, due tomorrow, assigned to Bob."""
    return record(office_admin, follow_up("f1", assigned_to=StaffId("bob")))


@pytest.fixture
def first(logged: ContactLog) -> list[ReminderRequest]:
    return plan(None, logged)


def test_the_first_save_reminds_the_creator_of_each_outstanding_follow_up(
    logged: ContactLog, first: list[ReminderRequest]
) -> None:
    (request,) = first
    fu = logged.follow_ups[0]
    assert request == ReminderRequest(
        key="northfield.log-1.f1.alice.event@contactlog",
        sequence=0,
        action=ReminderAction.UPSERT,
        kind=ReminderKind.EVENT,
        org_id=logged.org_id,
        log_id=logged.id,
        follow_up_id=fu.id,
        recipient=StaffId("alice"),
        starts_at=fu.due_at,
        duration_minutes=15,
        timezone=ZONE,
        title="Follow up: Bus times",
        description="call back\nOpen the log: https://school.example/logs/log-1",
        url="https://school.example/logs/log-1",
        priority=Priority.NORMAL,
        issued_at=NOW,
        sink="ical",
        as_event=False,
    )


def test_without_a_reason_the_description_is_the_link(office_admin: Actor) -> None:
    (request,) = plan(None, record(office_admin, follow_up("f1", reason="")))
    assert request.description == "Open the log: https://school.example/logs/log-1"


def test_calendar_and_tasks_give_one_reminder_of_each_kind(logged: ContactLog) -> None:
    assert summary(plan(None, logged, BOTH)) == [
        ("f1", "alice", "event", "upsert", 0),
        ("f1", "alice", "task", "upsert", 0),
    ]
    only_tasks = attrs.evolve(ON, add_to_calendar=False, add_to_tasks=True)
    assert summary(plan(None, logged, only_tasks)) == [("f1", "alice", "task", "upsert", 0)]


def test_disabled_reminders_plan_nothing_not_even_cancellations(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    assert plan(None, logged, ReminderSettings()) == []
    completed = commands.complete(logged, office_admin, LATER, policy).after
    assert plan(logged, completed, attrs.evolve(ON, enabled=False), first) == []


def test_a_log_completed_at_its_first_save_plans_nothing(
    logged: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    completed = commands.complete(logged, office_admin, NOW, policy).after
    assert completed.status is LogStatus.COMPLETED
    assert plan(None, completed, BOTH) == []


def test_a_log_without_follow_ups_plans_nothing(office_admin: Actor) -> None:
    assert plan(None, record(office_admin)) == []


def test_saving_again_without_a_change_plans_nothing(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    amended = commands.amend(logged, office_admin, LATER, policy, notes="left a message").after
    assert plan(logged, amended, sent=first) == []


def test_a_reschedule_updates_the_same_key_with_the_next_sequence(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    moved = commands.reschedule_follow_up(
        logged, office_admin, LATER, policy, "f1", NOW.add(days=4)
    ).after
    (update,) = plan(logged, moved, sent=first)
    assert (update.key, update.sequence, update.action) == (first[0].key, 1, ReminderAction.UPSERT)
    assert update.starts_at == NOW.add(days=4)
    assert update.issued_at == LATER

    again = commands.reschedule_follow_up(
        moved, office_admin, LATER, policy, "f1", NOW.add(days=5)
    ).after
    (second,) = plan(moved, again, sent=[*first, update])
    assert (second.key, second.sequence) == (first[0].key, 2)


def test_a_changed_subject_updates_the_reminder_too(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    amended = commands.amend(logged, office_admin, LATER, policy, subject="Bus route").after
    (update,) = plan(logged, amended, sent=first)
    assert (update.title, update.sequence) == ("Follow up: Bus route", 1)


def test_a_done_follow_up_cancels_its_reminder_once(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    done = commands.complete_follow_up(logged, office_admin, LATER, policy, "f1").after
    (cancel,) = plan(logged, done, sent=first)
    assert (cancel.key, cancel.action, cancel.sequence) == (first[0].key, "cancel", 1)
    assert cancel.is_cancellation
    assert cancel.issued_at == LATER

    later = commands.amend(done, office_admin, LATER, policy, notes="sorted").after
    assert plan(done, later, sent=[*first, cancel]) == []


def test_completing_the_log_cancels_every_reminder(office_admin: Actor, policy: Policy) -> None:
    log = record(office_admin, follow_up("f1"), follow_up("f2", days=2))
    sent = plan(None, log, BOTH)
    completed = commands.complete(log, office_admin, LATER, policy).after
    cancels = plan(log, completed, BOTH, sent)
    assert sorted(summary(cancels)) == [
        ("f1", "alice", "event", "cancel", 1),
        ("f1", "alice", "task", "cancel", 1),
        ("f2", "alice", "event", "cancel", 1),
        ("f2", "alice", "task", "cancel", 1),
    ]


def test_reopening_a_completed_log_brings_its_reminders_back(
    logged: ContactLog,
    first: list[ReminderRequest],
    office_admin: Actor,
    school_admin: Actor,
    policy: Policy,
) -> None:
    completed = commands.complete(logged, office_admin, LATER, policy).after
    cancels = plan(logged, completed, sent=first)
    reopened = commands.reopen(completed, school_admin, LATER.add(hours=1), policy).after
    (back,) = plan(completed, reopened, sent=[*first, *cancels])
    assert (back.key, back.action, back.sequence) == (first[0].key, "upsert", 2)


def test_a_removed_follow_up_cancels_its_reminder(
    logged: ContactLog, first: list[ReminderRequest]
) -> None:
    emptied = attrs.evolve(logged, follow_ups=(), updated_at=LATER)
    assert summary(plan(logged, emptied, sent=first)) == [("f1", "alice", "event", "cancel", 1)]


def test_a_follow_up_added_later_is_reminded_only_with_the_setting(
    logged: ContactLog, first: list[ReminderRequest], office_admin: Actor, policy: Policy
) -> None:
    added = commands.add_follow_up(logged, office_admin, LATER, policy, follow_up("f2")).after
    assert plan(logged, added, sent=first) == []

    with_later = attrs.evolve(ON, remind_later_follow_ups=True)
    assert summary(plan(logged, added, with_later, first)) == [
        ("f2", "alice", "event", "upsert", 0)
    ]


def test_assignees_are_reminded_only_with_the_setting_and_each_person_once(
    office_admin: Actor,
) -> None:
    log = record(
        office_admin,
        follow_up("f1", assigned_to=StaffId("bob"), forward_to=StaffId("carol")),
        follow_up("f2", assigned_to=StaffId("alice"), forward_to=StaffId("bob")),
    )
    assert [r.recipient for r in plan(None, log)] == ["alice", "alice"]

    with_assignees = attrs.evolve(ON, remind_assignees=True)
    assert [(r.follow_up_id, r.recipient) for r in plan(None, log, with_assignees)] == [
        ("f1", "alice"),
        ("f1", "bob"),
        ("f1", "carol"),
        ("f2", "alice"),
        ("f2", "bob"),
    ]


def test_reassigning_cancels_the_old_persons_reminder_and_creates_the_new_ones(
    logged: ContactLog,
) -> None:
    with_assignees = attrs.evolve(ON, remind_assignees=True)
    sent = plan(None, logged, with_assignees)
    fu = attrs.evolve(logged.follow_ups[0], assigned_to=StaffId("dan"))
    reassigned = attrs.evolve(logged, follow_ups=(fu,), updated_at=LATER)
    assert summary(plan(logged, reassigned, with_assignees, sent)) == [
        ("f1", "dan", "event", "upsert", 0),
        ("f1", "bob", "event", "cancel", 1),
    ]


def test_switching_tasks_off_cancels_the_tasks_on_the_next_save(
    logged: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    sent = plan(None, logged, BOTH)
    amended = commands.amend(logged, office_admin, LATER, policy, notes="x").after
    assert summary(plan(logged, amended, ON, sent)) == [("f1", "alice", "task", "cancel", 1)]


def test_tasks_as_events_marks_the_task_with_its_own_key(logged: ContactLog) -> None:
    event, task = plan(None, logged, attrs.evolve(BOTH, tasks_as_events=True))
    assert (event.as_event, task.as_event) == (False, True)
    assert event.key != task.key
    assert task.key.endswith(".task@contactlog")


def test_reminders_sent_for_another_log_are_left_alone(
    logged: ContactLog, first: list[ReminderRequest]
) -> None:
    elsewhere = attrs.evolve(first[0], log_id=LogId("log-2"), key="other@contactlog")
    assert plan(logged, logged, sent=[*first, elsewhere]) == []


def test_an_unknown_time_zone_is_refused(logged: ContactLog) -> None:
    with pytest.raises(ValidationError) as e:
        plan_reminders(None, logged, ON, timezone="Mars/Olympus", sent={})
    assert e.value.field == "timezone"


def test_keys_are_mail_style_ids_whatever_the_ids_contain() -> None:
    key = reminder_key("org.1", "log:2", "f@3", "é 4", ReminderKind.TASK)
    assert key == "org%2E1.log%3A2.f%403.%C3%A9%204.task@contactlog"


ids = st.text(min_size=1, max_size=8)


@given(st.tuples(ids, ids, ids, ids), st.tuples(ids, ids, ids, ids))
def test_different_reminders_never_share_a_key(
    one: tuple[str, str, str, str], other: tuple[str, str, str, str]
) -> None:
    if one != other:
        assert reminder_key(*one, ReminderKind.EVENT) != reminder_key(*other, ReminderKind.EVENT)
    assert reminder_key(*one, ReminderKind.EVENT) != reminder_key(*one, ReminderKind.TASK)


def test_last_sent_keeps_the_highest_sequence_of_each_key(
    logged: ContactLog, first: list[ReminderRequest]
) -> None:
    newer = attrs.evolve(first[0], sequence=3)
    assert last_sent([newer, first[0], attrs.evolve(first[0], sequence=2)]) == {newer.key: newer}


@pytest.mark.parametrize("sequence", [-1, True, 1.5])
def test_a_request_needs_a_whole_sequence_from_zero(
    first: list[ReminderRequest], sequence: object
) -> None:
    with pytest.raises(ValidationError) as e:
        attrs.evolve(first[0], sequence=sequence)
    assert e.value.field == "sequence"


def test_a_request_refuses_a_naive_start(first: list[ReminderRequest]) -> None:
    with pytest.raises(ValidationError) as e:
        attrs.evolve(first[0], starts_at=NOW.naive())
    assert e.value.field == "starts_at"


def test_requests_round_trip_through_the_converter_as_an_outbox_stores_them(
    logged: ContactLog,
) -> None:
    for request in plan(None, logged, attrs.evolve(BOTH, tasks_as_events=True)):
        assert structure(unstructure(request), ReminderRequest) == request


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(reminders, raise_on_error=True).failed == 0


# A saved log, its reminders, and a model simpler than the plan: the reminders a person's
# calendar should show are those of the outstanding follow-ups that are eligible (came with
# the first save, or later with the setting), for each recipient and kind.
CREATOR = StaffId("alice")
PEOPLE = [StaffId("alice"), StaffId("bob"), StaffId("carol"), None]


class ReminderPlanMachine(RuleBasedStateMachine):
    sink: CollectingSink
    log: ContactLog
    settings: ReminderSettings
    eligible: set[str]
    clock: DateTime

    @initialize(
        count=st.integers(min_value=0, max_value=3),
        later=st.booleans(),
        assignees=st.booleans(),
        tasks=st.booleans(),
    )
    def first_save(self, count: int, later: bool, assignees: bool, tasks: bool) -> None:
        self.sink = CollectingSink()
        self.clock = NOW
        self.settings = attrs.evolve(
            ON, remind_later_follow_ups=later, remind_assignees=assignees, add_to_tasks=tasks
        )
        author = Actor.of(make_staff(CREATOR, "office_admin"))
        self.log = record(author, *(follow_up(f"f{i}", days=i + 1) for i in range(count)))
        self.eligible = {fu.id for fu in self.log.follow_ups}
        self._deliver(plan(None, self.log, self.settings))

    def _deliver(self, requests: list[ReminderRequest]) -> None:
        for request in requests:
            self.sink.deliver(request)

    def _save(self, **changes: Any) -> None:
        self.clock = self.clock.add(minutes=1)
        after = attrs.evolve(self.log, updated_at=self.clock, **changes)
        self._deliver(plan(self.log, after, self.settings, self.sink.deliveries))
        self.log = after

    def _replace(self, index: int, **changes: Any) -> None:
        fus = list(self.log.follow_ups)
        fus[index % len(fus)] = attrs.evolve(fus[index % len(fus)], **changes)
        self._save(follow_ups=tuple(fus))

    @precondition(lambda self: self.log.follow_ups)
    @rule(index=st.integers(min_value=0), days=st.integers(min_value=1, max_value=30))
    def reschedule(self, index: int, days: int) -> None:
        self._replace(index, due_at=NOW.add(days=days))

    @precondition(lambda self: self.log.follow_ups)
    @rule(index=st.integers(min_value=0))
    def mark_done(self, index: int) -> None:
        self._replace(index, done_at=self.clock)

    @precondition(lambda self: self.log.follow_ups)
    @rule(index=st.integers(min_value=0), person=st.sampled_from(PEOPLE))
    def reassign(self, index: int, person: StaffId | None) -> None:
        self._replace(index, assigned_to=person)

    @rule(days=st.integers(min_value=1, max_value=30))
    def add_follow_up(self, days: int) -> None:
        fu = follow_up(f"f{len(self.log.follow_ups)}", days=days)
        if self.settings.remind_later_follow_ups:
            self.eligible.add(fu.id)
        self._save(follow_ups=(*self.log.follow_ups, fu))

    @rule()
    def complete(self) -> None:
        self._save(status=LogStatus.COMPLETED, owner=None)

    @rule()
    def reopen(self) -> None:
        self._save(status=LogStatus.IN_PROGRESS, owner=CREATOR)

    @invariant()
    def the_calendar_shows_what_the_model_expects(self) -> None:
        expected = {}
        for fu in self.log.outstanding_follow_ups:
            if fu.id not in self.eligible:
                continue
            people = [CREATOR]
            if self.settings.remind_assignees and fu.assigned_to:
                people.append(fu.assigned_to)
            for person in people:
                for kind in self.settings.kinds:
                    key = reminder_key(self.log.org_id, self.log.id, fu.id, person, kind)
                    expected[key] = fu.due_at
        shown = {k: r.starts_at for k, r in self.sink.open_reminders().items()}
        assert shown == expected

    @invariant()
    def planning_again_plans_nothing(self) -> None:
        assert plan(self.log, self.log, self.settings, self.sink.deliveries) == []

    @invariant()
    def each_key_counts_its_sequences_up_from_zero(self) -> None:
        for key in self.sink.latest():
            assert self.sink.delivered(key) == list(range(len(self.sink.delivered(key))))


TestReminderPlanMachine = pytest.mark.stateful(ReminderPlanMachine.TestCase)
TestReminderPlanMachine.settings = settings(
    TestReminderPlanMachine.settings,
    max_examples=examples(dev=15, ci=20, long=200, torture=2_000),
)
