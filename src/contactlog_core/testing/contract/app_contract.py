"""The application-level contract: the public API behaves the same on every store."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.ports import Store

__all__ = ["AppContract", "Seeds", "each_refused", "race"]

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


class Seeds:
    """The seed scenario's people on a fresh app over ``store``."""

    def __init__(self, store: Store) -> None:
        self.clock = cl.ManualClock(START, tick=pendulum.duration(seconds=1))
        self.store = store
        self.app = cl.ContactLogApp(store, clock=self.clock)
        org = self.app.organisations.create("Northfield Primary", timezone="Europe/London")
        other = self.app.organisations.create("Elsewhere Academy", timezone="America/New_York")
        self.org = org
        self.alice = self.app.actor(
            self.app.staff.add(org.id, name="Alice Smith", role="office_admin").id
        )
        self.bob = self.app.actor(
            self.app.staff.add(org.id, name="Bob Jones", role="office_admin").id
        )
        self.head = self.app.actor(
            self.app.staff.add(org.id, name="Hana Patel", role="school_admin").id
        )
        self.eve = self.app.actor(
            self.app.staff.add(other.id, name="Eve Stone", role="school_admin").id
        )

    def colleagues(self, count: int) -> list[cl.Actor]:
        """``count`` new office admins of the organisation, as actors."""
        return [
            self.app.actor(self.app.staff.add(self.org.id, name=f"S{i}", role="office_admin").id)
            for i in range(count)
        ]

    def record(self, **kw: object) -> cl.ContactLog:
        fields: dict[str, Any] = {"subject": "Parent called about the bus", **kw}
        return self.app.logs.record(self.alice, **fields)


def each_refused(error: type[Exception], calls: Sequence[Callable[[], object]]) -> None:
    """Each of ``calls`` raises ``error``."""
    for call in calls:
        with pytest.raises(error):
            call()


def race(actors: Sequence[cl.Actor], attempt: Callable[[cl.Actor], object]) -> list[object]:
    """Each actor's ``attempt`` in its own thread, all released at once: results or ``LockedByOther``."""
    outcomes: list[object] = []
    barrier = threading.Barrier(len(actors))

    def run(actor: cl.Actor) -> None:
        barrier.wait()
        try:
            outcomes.append(attempt(actor))
        except cl.LockedByOther as e:
            outcomes.append(e)

    threads = [threading.Thread(target=run, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


class AppContract:
    """The seed scenarios, bad input and races through ``ContactLogApp`` on the store under test."""

    @pytest.fixture
    def seeds(self, store: Store) -> Seeds:
        return Seeds(store)

    def test_record_with_a_follow_up_returns_the_fresh_log(self, seeds: Seeds) -> None:
        due = START.add(days=1)
        log = seeds.record(
            follow_up=cl.FollowUpDraft(
                due_at=due, reason="call back", assigned_to=seeds.bob.staff_id
            )
        )
        assert seeds.app.logs.get(seeds.bob, log.id) == log
        (fu,) = log.follow_ups
        assert (fu.due_at, fu.assigned_to, fu.reason) == (due, seeds.bob.staff_id, "call back")

    def test_another_organisation_cannot_read_or_change_a_log(self, seeds: Seeds) -> None:
        log = seeds.record()
        logs = seeds.app.logs
        each_refused(
            cl.NotFound,
            [
                lambda: logs.get(seeds.eve, log.id),
                lambda: logs.take(seeds.eve, log.id),
                lambda: logs.force_take(seeds.eve, log.id),
                lambda: logs.assign(seeds.alice, log.id, seeds.eve.staff_id),
            ],
        )
        assert seeds.app.logs.get(seeds.alice, log.id) == log
        assert all(e.entity_id != log.id for e in seeds.app.audit.events(seeds.eve))
        assert {e.org_id for e in seeds.app.audit.events(seeds.eve)} == {seeds.eve.org_id}

    def test_a_forged_actor_is_not_trusted(self, seeds: Seeds) -> None:
        log = seeds.record()
        forged = cl.Actor(
            staff_id=seeds.eve.staff_id, org_id=seeds.alice.org_id, role="school_admin"
        )
        with pytest.raises(cl.NotFound):
            seeds.app.logs.force_take(forged, log.id)
        promoted = cl.Actor(
            staff_id=seeds.bob.staff_id, org_id=seeds.bob.org_id, role="school_admin"
        )
        with pytest.raises(cl.LockedByOther):
            seeds.app.logs.force_take(promoted, log.id)

    @pytest.mark.parametrize("log_id", [None, "", 42, "x" * 500, "bad\nid"])
    def test_malformed_log_ids_are_validation_errors(self, seeds: Seeds, log_id: object) -> None:
        with pytest.raises(cl.ValidationError):
            seeds.app.logs.take(seeds.alice, _as_any(log_id))

    def test_unknown_ids_are_not_found(self, seeds: Seeds) -> None:
        log = seeds.record()
        with pytest.raises(cl.NotFound):
            seeds.app.logs.take(seeds.alice, "no-such-log")
        with pytest.raises(cl.NotFound):
            seeds.app.logs.assign(seeds.alice, log.id, "no-such-staff")
        with pytest.raises(cl.NotFound):
            seeds.app.actor("no-such-staff")
        with pytest.raises(cl.NotFound):
            seeds.app.staff.add("no-such-org", name="Zed", role="office_admin")

    @pytest.mark.parametrize("actor", [None, "alice", {"staff_id": "x"}])
    def test_an_actor_must_be_an_actor(self, seeds: Seeds, actor: object) -> None:
        with pytest.raises(cl.ValidationError) as e:
            seeds.app.logs.record(_as_any(actor), subject="x")
        assert e.value.field == "actor"

    def test_naive_datetimes_are_refused_and_nothing_is_stored(self, seeds: Seeds) -> None:
        before = seeds.app.audit.events(seeds.alice)
        with pytest.raises(cl.ValidationError):
            seeds.record(follow_up=cl.FollowUpDraft(due_at=_as_any(dt.datetime(2026, 12, 1, 9))))
        log = seeds.record()
        with pytest.raises(cl.ValidationError):
            seeds.app.logs.add_follow_up(
                seeds.alice, log.id, cl.FollowUpDraft(due_at=pendulum.naive(2026, 12, 1))
            )
        assert seeds.app.logs.get(seeds.alice, log.id) == log
        assert len(seeds.app.audit.events(seeds.alice)) == len(before) + 1

    def test_follow_up_people_must_be_colleagues(self, seeds: Seeds) -> None:
        with pytest.raises(cl.NotFound):
            seeds.record(
                follow_up=cl.FollowUpDraft(due_at=START.add(days=1), forward_to=seeds.eve.staff_id)
            )

    @pytest.mark.parametrize(
        "kw",
        [
            {"follow_ups": "tomorrow"},
            {"follow_ups": [{"due_at": "2026-12-01"}]},
            {"channel": "carrier pigeon"},
            {"priority": 3},
            {"contact": "Sam"},
            {"contact": cl.ContactRef(id="", display_name="Sam")},
            {"subject": "x" * 1_000},
        ],
    )
    def test_bad_record_input_is_a_validation_error(
        self, seeds: Seeds, kw: dict[str, object]
    ) -> None:
        with pytest.raises(cl.ValidationError):
            seeds.record(**kw)

    def test_set_up_input_is_checked(self, seeds: Seeds) -> None:
        with pytest.raises(cl.ValidationError):
            seeds.app.organisations.create("X", timezone="Nowhere/Town")
        with pytest.raises(cl.ValidationError):
            seeds.app.organisations.create("   ")
        with pytest.raises(cl.ValidationError):
            seeds.app.staff.add(seeds.org.id, name="Zed", role="janitor")
        with pytest.raises(cl.ValidationError):
            cl.ContactLogApp(seeds.store, policy=_as_any({"roles": []}))

    def test_every_change_is_audited_newest_first_with_before_and_after(self, seeds: Seeds) -> None:
        log = seeds.record()
        seeds.app.logs.surrender(seeds.alice, log.id)
        taken = seeds.app.logs.take(seeds.bob, log.id)
        events = seeds.app.audit.events(seeds.head, entity_id=log.id)
        assert [e.command for e in events] == ["take", "surrender", "record"]
        assert [e.actor for e in events] == [
            seeds.bob.staff_id,
            seeds.alice.staff_id,
            seeds.alice.staff_id,
        ]
        before, after = events[0].before, events[0].after
        assert before is not None
        assert before["status"] == "OPEN"
        assert after is not None
        assert after["owner"] == seeds.bob.staff_id
        assert events[-1].before is None
        assert events[0].at == taken.updated_at
        with pytest.raises(cl.ValidationError):
            seeds.app.audit.events(seeds.head, limit=0)

    def test_a_failed_unit_of_work_leaves_nothing_behind(self, seeds: Seeds) -> None:
        log = seeds.record()

        def crash_before_commit() -> None:
            with seeds.store.unit_of_work() as uow:
                uow.logs.update(attrs.evolve(log, subject="changed", version=2), expected_version=1)
                raise RuntimeError("crash before commit")

        with pytest.raises(RuntimeError):
            crash_before_commit()
        assert seeds.app.logs.get(seeds.alice, log.id) == log

    def test_a_stale_save_is_a_concurrency_conflict(self, seeds: Seeds) -> None:
        log = seeds.record()
        seeds.app.logs.surrender(seeds.alice, log.id)
        with pytest.raises(cl.ConcurrencyConflict) as e, seeds.store.unit_of_work() as uow:
            uow.logs.update(attrs.evolve(log, subject="late", version=2), expected_version=1)
        assert (e.value.expected, e.value.actual) == (1, 2)
        assert seeds.app.logs.get(seeds.alice, log.id).subject == log.subject

    def test_of_many_threads_racing_to_take_one_log_exactly_one_wins(self, seeds: Seeds) -> None:
        log = seeds.app.logs.surrender(seeds.alice, seeds.record().id)
        outcomes = race(seeds.colleagues(8), lambda actor: seeds.app.logs.take(actor, log.id).owner)
        winners = [o for o in outcomes if not isinstance(o, cl.LockedByOther)]
        assert len(winners) == 1
        assert seeds.app.logs.get(seeds.alice, log.id).owner == winners[0]
        assert all(o.owner == winners[0] for o in outcomes if isinstance(o, cl.LockedByOther))

    def test_a_closed_store_refuses_work(self, seeds: Seeds) -> None:
        seeds.app.close()
        with pytest.raises(cl.ContactLogError):
            seeds.record()


def _as_any(value: object) -> Any:
    # Bad input on purpose: the library must refuse it at run time, whatever the types say.
    return value
