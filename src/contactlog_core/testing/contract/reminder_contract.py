"""The reminders contract: the outbox written with each log change, and delivery at least once."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.application.reminders import retry_delay
from contactlog_core.domain.reminders.plan import ReminderAction, ReminderKind
from contactlog_core.ports import Store
from contactlog_core.testing.collecting_sink import CollectingSink
from contactlog_core.testing.contract.app_contract import START, Seeds

__all__ = ["ReminderContract"]

LINK = "https://school.example/logs/{log_id}"


class ReminderContract:
    """The rules' "Contact logs" reminders through ``app.logs`` and ``app.reminders`` on the store under test."""

    @pytest.fixture
    def on(self, store: Store) -> Seeds:
        seeds = Seeds(store)
        seeds.app.organisations.set_reminders(
            seeds.org.id,
            {
                "enabled": True,
                "add_to_calendar": True,
                "add_to_tasks": True,
                "appointment_duration_minutes": 30,
                "sink": "collecting",
                "link_template": LINK,
            },
        )
        return seeds

    def _record(self, seeds: Seeds, **kw: Any) -> cl.ContactLog:
        due = kw.pop("due", START.add(days=1))
        return seeds.record(follow_up=cl.FollowUpDraft(due_at=due, reason="Call back"), **kw)

    def test_nothing_is_queued_while_the_feature_is_off(self, store: Store) -> None:
        seeds = Seeds(store)
        self._record(seeds)
        assert seeds.app.reminders.pending() == 0

    def test_a_first_save_becomes_an_appointment_and_a_task_for_its_creator(
        self, on: Seeds
    ) -> None:
        log = self._record(on)
        assert on.app.reminders.pending("collecting") == 2
        sink = CollectingSink()
        report = on.app.reminders.deliver(sink)
        assert (report.delivered, report.failed, report.pending) == (2, 0, 0)
        reminders = sink.open_reminders(on.alice.staff_id)
        assert sorted(r.kind for r in reminders.values()) == [ReminderKind.EVENT, ReminderKind.TASK]
        for r in reminders.values():
            assert (r.log_id, r.starts_at, r.duration_minutes, r.sequence) == (
                log.id,
                START.add(days=1),
                30,
                0,
            )
            assert r.url == f"https://school.example/logs/{log.id}"
            assert r.timezone == "Europe/London"
        assert on.app.reminders.deliver(sink).delivered == 0  # nothing twice

    def test_a_reschedule_updates_and_completing_the_log_cancels(self, on: Seeds) -> None:
        app, sink = on.app, CollectingSink()
        log = self._record(on)
        app.reminders.deliver(sink)
        (follow_up,) = log.follow_ups
        app.logs.reschedule_follow_up(on.alice, log.id, follow_up.id, START.add(days=3))
        app.reminders.deliver(sink)
        open_now = sink.open_reminders()
        assert {(r.starts_at, r.sequence) for r in open_now.values()} == {(START.add(days=3), 1)}
        app.logs.complete(on.alice, log.id)
        assert app.reminders.deliver(sink).delivered == 2
        assert sink.open_reminders() == {}
        assert {r.action for r in sink.latest().values()} == {ReminderAction.CANCEL}

    def test_a_done_follow_up_is_cancelled_and_a_later_one_is_not_reminded(self, on: Seeds) -> None:
        app, sink = on.app, CollectingSink()
        log = self._record(on)
        (first,) = log.follow_ups
        app.logs.complete_follow_up(on.alice, log.id, first.id)
        app.logs.add_follow_up(on.alice, log.id, cl.FollowUpDraft(due_at=START.add(days=5)))
        app.reminders.deliver(sink)
        assert sink.open_reminders() == {}
        # Completed before any delivery: each reminder is created, then cancelled.
        done = self._record(on)
        app.logs.complete(on.alice, done.id)
        assert app.reminders.pending() == 4
        sent = len(sink.deliveries)
        assert app.reminders.deliver(sink).delivered == 2  # only the cancellations
        assert [r.action for r in sink.deliveries[sent:]] == [ReminderAction.CANCEL] * 2
        assert app.reminders.pending() == 0

    def test_a_failed_delivery_waits_and_is_retried(self, on: Seeds) -> None:
        app, sink = on.app, CollectingSink()
        self._record(on)
        sink.fail_next(2)
        report = app.reminders.deliver(sink)
        assert (report.delivered, report.failed, report.pending) == (0, 2, 2)
        assert len(report.errors) == 2
        assert app.reminders.deliver(sink).delivered == 0  # not due again yet
        on.clock.advance(seconds=retry_delay(0).total_seconds())
        assert app.reminders.deliver(sink).delivered == 2
        assert len(sink.open_reminders()) == 2

    def test_a_crash_after_the_sink_call_repeats_the_same_request(self, on: Seeds) -> None:
        app, sink = on.app, CollectingSink()
        self._record(on)
        with on.store.unit_of_work(read_only=True) as uow:
            handed = uow.reminders.due("collecting", on.clock.now(), 10)
        for entry in handed:
            sink.deliver(entry.request)  # ...and the process dies before marking them
        assert app.reminders.deliver(sink).delivered == 2
        keys = [(r.key, r.sequence) for r in sink.deliveries]
        assert len(keys) == 4
        assert len(set(keys)) == 2
        assert len(sink.open_reminders()) == 2

    def test_settings_are_checked(self, on: Seeds) -> None:
        good = {"enabled": True, "link_template": LINK, "sink": "ical"}
        for bad in (
            {"appointment_duration_minutes": 0},
            {"appointment_duration_minutes": 10_000},
            {"sink": "carrier-pigeon"},
            {"link_template": "https://school.example/logs/"},
            {"enabled": "yes"},
            {"colour": "red"},
        ):
            with pytest.raises(cl.ValidationError):
                on.app.organisations.set_reminders(on.org.id, {**good, **bad})
        settings = on.app.organisations.set_reminders(on.org.id, good).reminders
        assert on.app.organisations.get(on.org.id).reminders == settings

    def test_my_follow_ups_due_today_and_this_week_follow_my_organisations_calendar(
        self, store: Store
    ) -> None:
        seeds = Seeds(store)
        app, clock = seeds.app, seeds.clock
        tokyo = app.organisations.create("Shibuya Office", timezone="Asia/Tokyo")
        aiko = app.actor(app.staff.add(tokyo.id, name="Aiko", role="office_admin").id)
        clock.freeze()
        clock.set(pendulum.datetime(2026, 11, 23, 15, 0, tz="UTC"))  # recorded at 00:00 there
        local = pendulum.datetime(2026, 11, 24, tz="Asia/Tokyo")
        due = {
            "overdue": local.add(minutes=30),  # 00:30 today, a quarter of an hour ago
            "tonight": local.add(hours=23, minutes=30),
            "thursday": local.add(days=2, hours=9),
            "next monday": local.add(days=6, hours=9),
        }
        for reason, at in due.items():
            draft = cl.FollowUpDraft(due_at=at, reason=reason)
            app.logs.record(aiko, subject=reason, follow_up=draft)
        # Tuesday 24 November, 00:45 in Tokyo; still Monday the 23rd in UTC and in London.
        clock.set(pendulum.datetime(2026, 11, 23, 15, 45, tz="UTC"))

        def reasons(**kw: Any) -> list[str]:
            return [row.reason for row in app.logs.follow_ups(aiko, mine=True, **kw).items]

        assert reasons(due="today") == ["overdue", "tonight"]
        assert reasons(due="this_week") == ["overdue", "tonight", "thursday"]
        assert reasons(due="overdue") == ["overdue"]
        assert reasons() == list(due)
        with pytest.raises(cl.ValidationError):
            reasons(due="someday")
