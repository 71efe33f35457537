"""Follow-ups created, rescheduled, done and logs completed in any order, deliveries failing at
random: once everything due is delivered, the calendar the sink holds is exactly one
appointment per open follow-up, at its latest time, and none for the others.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pendulum
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from pendulum import DateTime

import contactlog_core as cl
from contactlog_core.adapters.memory import MemoryStore
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.application.reminders import LAST_RETRY
from contactlog_core.domain.reminders.plan import ReminderKind
from contactlog_core.ports import Store
from contactlog_core.testing.collecting_sink import CollectingSink
from tests.support.sizes import examples

START = pendulum.datetime(2026, 3, 27, 9, tz="UTC")  # two days before Europe/Berlin springs forward
LINK = "https://school.example/logs/{log_id}"


class ReminderMachine(RuleBasedStateMachine):
    def make_store(self) -> Store:
        return MemoryStore()

    @initialize()
    def start(self) -> None:
        self.store = self.make_store()
        self.clock = cl.ManualClock(START)
        # Ids in creation order: the rules pick among records by their order.
        counter = itertools.count(1)
        self.app = cl.ContactLogApp(
            self.store, clock=self.clock, ids=lambda: f"id{next(counter):05d}"
        )
        org = self.app.organisations.create("Northfield", timezone="Europe/Berlin")
        self.app.organisations.set_reminders(
            org.id, {"enabled": True, "sink": "collecting", "link_template": LINK}
        )
        self.me = self.app.actor(self.app.staff.add(org.id, name="Ann", role="office_admin").id)
        self.sink = CollectingSink()
        # What the calendar should show: (log, follow-up) -> due, for open follow-ups.
        self.expected: dict[tuple[str, str], DateTime] = {}
        self.open_logs: list[cl.ContactLog] = []

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()

    @rule(hours=st.integers(1, 24 * 10), more=st.booleans())
    def record(self, hours: int, more: bool) -> None:
        due = self.clock.now().add(hours=hours)
        drafts = [cl.FollowUpDraft(due_at=due, reason="Call back")]
        if more:
            drafts.append(cl.FollowUpDraft(due_at=due.add(minutes=30)))
        log = self.app.logs.record(self.me, subject="Parent called", follow_ups=drafts)
        self.open_logs.append(log)
        for f in log.follow_ups:
            self.expected[(log.id, f.id)] = f.due_at

    def _outstanding(self) -> list[tuple[str, str]]:
        return sorted(self.expected)

    @precondition(lambda self: self.expected)
    @rule(data=st.data(), hours=st.integers(1, 24 * 10))
    def reschedule(self, data: st.DataObject, hours: int) -> None:
        log_id, follow_up_id = data.draw(st.sampled_from(self._outstanding()))
        due = self.clock.now().add(hours=hours)
        self.app.logs.reschedule_follow_up(self.me, log_id, follow_up_id, due)
        self.expected[(log_id, follow_up_id)] = due

    @precondition(lambda self: self.expected)
    @rule(data=st.data())
    def mark_done(self, data: st.DataObject) -> None:
        log_id, follow_up_id = data.draw(st.sampled_from(self._outstanding()))
        self.app.logs.complete_follow_up(self.me, log_id, follow_up_id)
        del self.expected[(log_id, follow_up_id)]

    @precondition(lambda self: self.open_logs)
    @rule(data=st.data())
    def complete(self, data: st.DataObject) -> None:
        log = data.draw(st.sampled_from(self.open_logs))
        self.app.logs.complete(self.me, log.id)
        self.open_logs.remove(log)
        for key in [k for k in self.expected if k[0] == log.id]:
            del self.expected[key]

    @rule(failures=st.integers(0, 3))
    def deliver(self, failures: int) -> None:
        self.sink.fail_next(failures)
        self.app.reminders.deliver(self.sink, batch=2)

    @rule(minutes=st.integers(1, 400))
    def wait(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    @invariant()
    def the_calendar_settles_on_the_open_follow_ups(self) -> None:
        if not hasattr(self, "sink"):
            return
        # Deliver everything that is or will become due: failures left over are retried.
        for _ in range(5):
            self.clock.advance(seconds=LAST_RETRY.total_seconds())
            self.app.reminders.deliver(self.sink)
        shown = {
            (r.log_id, r.follow_up_id): r.starts_at
            for r in self.sink.open_reminders(self.me.staff_id).values()
            if r.kind is ReminderKind.EVENT
        }
        assert shown == self.expected
        assert self.app.reminders.pending() == 0


class SqliteReminderMachine(ReminderMachine):
    def make_store(self) -> Store:
        self._dir = tempfile.TemporaryDirectory()
        return SqliteStore(Path(self._dir.name) / "reminders.db")

    def teardown(self) -> None:
        super().teardown()
        if hasattr(self, "_dir"):
            self._dir.cleanup()


TestReminderMachine = pytest.mark.stateful(ReminderMachine.TestCase)
TestReminderMachine.settings = settings(
    TestReminderMachine.settings,
    max_examples=examples(dev=30, ci=30, long=200, torture=2_000),
)
TestSqliteReminderMachine = pytest.mark.stateful(SqliteReminderMachine.TestCase)
TestSqliteReminderMachine.settings = settings(
    TestSqliteReminderMachine.settings,
    max_examples=examples(dev=30, ci=30, long=200, torture=2_000),
)
