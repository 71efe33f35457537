"""The leads contract: commands, views as of now, and the sweep, the same on every store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.domain.leads.model import Lead, LeadStatus
from contactlog_core.ports import Store
from contactlog_core.testing.contract.app_contract import START, Seeds, each_refused, race

__all__ = ["LeadContract"]

S = LeadStatus


def _statuses(page: cl.Page[cl.LeadRow]) -> dict[str, LeadStatus]:
    return {row.id: row.status for row in page.items}


class LeadContract:
    """The rules' "Sales leads" through ``app.leads`` on the store under test, with a moving clock."""

    @pytest.fixture
    def still(self, store: Store) -> Seeds:
        # A still clock, so that every deadline below is exact to the microsecond.
        seeds = Seeds(store)
        seeds.clock.freeze()
        seeds.clock.set(START)
        return seeds

    def _add(self, still: Seeds, **kw: object) -> Lead:
        fields: dict[str, Any] = {"name": "Acme Ltd", "contact": "+44 20 7946 0000", **kw}
        return still.app.leads.add(still.alice, **fields)

    def test_a_new_lead_is_its_creators_and_not_scheduled(self, still: Seeds) -> None:
        lead = self._add(still)
        assert (lead.status, lead.owner, lead.version) == (S.NOT_SCHEDULED, still.alice.staff_id, 1)
        assert still.app.leads.get(still.bob, lead.id) == lead
        scheduled = self._add(still, follow_up_at=START.add(days=1), assignee=still.bob.staff_id)
        assert (scheduled.status, scheduled.owner) == (S.SCHEDULED, still.bob.staff_id)

    def test_the_seed_timeline_from_scheduled_to_claimed(self, still: Seeds) -> None:
        app, clock = still.app, still.clock
        lead = self._add(still, follow_up_at=START.add(hours=4))
        clock.set(START.add(hours=5))
        assert app.leads.get(still.alice, lead.id).status is S.MISSED
        (row,) = app.leads.to_be_scheduled(still.alice).items
        assert (row.status, row.cue) == (S.MISSED, cl.Cue.YELLOW)
        clock.set(START.add(hours=4, days=2))
        (row,) = app.leads.to_be_scheduled(still.alice).items
        assert (row.status, row.cue) == (S.PAST_DUE, cl.Cue.RED)
        clock.set(START.add(hours=4, days=3))
        assert _statuses(app.leads.lead_bank(still.bob)) == {lead.id: S.ABANDONED}
        assert _statuses(app.leads.to_be_scheduled(still.alice)) == {lead.id: S.ABANDONED}
        clock.set(START.add(hours=4, days=8))
        (row,) = app.leads.lead_bank(still.bob).items
        assert (row.status, row.owner) == (S.AVAILABLE, None)
        assert app.leads.to_be_scheduled(still.alice).total == 0
        claimed = app.leads.claim(still.bob, lead.id)
        assert claimed.owner == still.bob.staff_id
        assert claimed.version == lead.version + 1
        # The missed follow-up is still a fact; the claim restarted the clock.
        assert claimed.status is S.MISSED
        assert app.leads.lead_bank(still.bob).total == 0

    def test_one_microsecond_before_a_deadline_is_not_yet_past_due(self, still: Seeds) -> None:
        lead = self._add(still)
        # London is on GMT in November: two calendar days are 48 hours here.
        deadline = START.add(days=2)
        still.clock.set(deadline.subtract(microseconds=1))
        assert still.app.leads.get(still.alice, lead.id).status is S.NOT_SCHEDULED
        still.clock.set(deadline)
        assert still.app.leads.get(still.alice, lead.id).status is S.PAST_DUE

    def test_days_are_calendar_days_across_a_clock_change(self, still: Seeds) -> None:
        # Northfield is in London; the clocks go back on 2026-10-25.
        still.clock.set(pendulum.datetime(2026, 10, 24, 10, tz="Europe/London"))
        lead = self._add(still)
        due = pendulum.datetime(2026, 10, 26, 10, tz="Europe/London")
        assert (due - lead.last_touch_at).in_hours() == 49
        still.clock.set(due.subtract(hours=1))
        assert still.app.leads.get(still.alice, lead.id).status is S.NOT_SCHEDULED
        still.clock.set(due)
        assert still.app.leads.get(still.alice, lead.id).status is S.PAST_DUE

    def test_a_touch_by_anyone_restarts_the_clock(self, still: Seeds) -> None:
        lead = self._add(still)
        still.clock.set(START.add(days=2, hours=1))
        touched = still.app.leads.touch(still.bob, lead.id, kind="note", note="left a message")
        assert (touched.status, touched.owner) == (S.NOT_SCHEDULED, still.alice.staff_id)
        assert touched.last_touch_by == still.bob.staff_id
        (event, *_) = still.app.audit.events(still.alice, entity_id=lead.id)
        assert (event.command, event.detail) == ("touch", {"note": "left a message"})

    def test_only_the_owner_schedules_and_others_hear_who_owns_it(self, still: Seeds) -> None:
        lead = self._add(still)
        with pytest.raises(cl.LockedByOther) as caught:
            still.app.leads.schedule(still.bob, lead.id, at=START.add(days=1))
        assert (caught.value.kind, caught.value.owner, caught.value.owner_name) == (
            "lead",
            still.alice.staff_id,
            "Alice Smith",
        )
        with pytest.raises(cl.LockedByOther):
            still.app.leads.claim(still.bob, lead.id)
        assert still.app.leads.get(still.alice, lead.id) == lead

    def test_scheduling_in_the_past_is_refused(self, still: Seeds) -> None:
        lead = self._add(still)
        with pytest.raises(cl.ValidationError):
            still.app.leads.schedule(still.alice, lead.id, at=START.subtract(minutes=1))
        with pytest.raises(cl.ValidationError):
            still.app.leads.schedule(still.alice, lead.id, at=START.naive())
        assert still.app.leads.get(still.alice, lead.id) == lead

    def test_the_scheduled_view_takes_a_date_range(self, still: Seeds) -> None:
        days = [self._add(still, follow_up_at=START.add(days=d)) for d in (1, 3, 9)]
        week = still.app.leads.scheduled(still.alice, starts=START, ends=START.add(days=7))
        assert [row.id for row in week.items] == [days[0].id, days[1].id]
        assert still.app.leads.scheduled(still.bob).total == 0
        assert still.app.leads.scheduled(still.bob, everyone=True).total == 3

    def test_archive_search_and_reactivate_by_permission_only(self, still: Seeds) -> None:
        lead = self._add(still, name="Élan Widgets")
        archived = still.app.leads.archive(
            still.alice, lead.id, reason="lost", note="went elsewhere"
        )
        assert archived.status is S.ARCHIVED
        (row,) = still.app.leads.archived(still.bob, search="ela wid").items
        assert row.id == lead.id
        assert still.app.leads.archived(still.bob, search="acme").total == 0
        with pytest.raises(cl.PermissionDenied):
            still.app.leads.reactivate(still.alice, lead.id)
        back = still.app.leads.reactivate(still.head, lead.id)
        assert (back.status, back.owner) == (S.NOT_SCHEDULED, still.head.staff_id)

    def test_two_claimers_exactly_one_wins(self, still: Seeds) -> None:
        lead = self._add(still)
        still.clock.set(START.add(days=3))
        won = still.app.leads.claim(still.bob, lead.id)
        with pytest.raises(cl.LockedByOther) as caught:
            still.app.leads.claim(still.head, lead.id)
        assert caught.value.owner == still.bob.staff_id
        assert still.app.leads.get(still.alice, lead.id) == won

    def test_of_many_threads_claiming_one_lead_exactly_one_wins(self, still: Seeds) -> None:
        lead = self._add(still)
        still.clock.set(START.add(days=9))
        staff = still.colleagues(8)
        outcomes = race(staff, lambda actor: still.app.leads.claim(actor, lead.id).owner)
        (winner,) = [o for o in outcomes if isinstance(o, str)]
        losers = [o for o in outcomes if isinstance(o, cl.LockedByOther)]
        assert len(losers) == len(staff) - 1
        assert {e.owner for e in losers} == {winner}
        assert still.app.leads.get(still.alice, lead.id).owner == winner

    def test_another_organisation_sees_no_lead(self, still: Seeds) -> None:
        lead = self._add(still)
        still.clock.set(START.add(days=9))
        leads = still.app.leads
        each_refused(
            cl.NotFound,
            [
                lambda: leads.get(still.eve, lead.id),
                lambda: leads.touch(still.eve, lead.id),
                lambda: leads.claim(still.eve, lead.id),
                lambda: leads.assign(still.alice, lead.id, still.eve.staff_id),
            ],
        )
        assert still.app.leads.lead_bank(still.eve).total == 0

    def test_the_sweep_writes_what_the_views_already_show(self, still: Seeds) -> None:
        fresh = self._add(still)
        ahead = self._add(still, follow_up_at=START.add(days=30))
        still.clock.set(START.add(days=9))
        old = self._add(still, name="Later Ltd")
        report = still.app.leads.sweep(batch_size=1)
        assert report.transitions == {(S.NOT_SCHEDULED, S.AVAILABLE): 1}
        swept = still.app.leads.get(still.alice, fresh.id)
        assert (swept.status, swept.owner, swept.version) == (S.AVAILABLE, None, 2)
        (event, *_) = still.app.audit.events(still.alice, entity_id=fresh.id)
        assert (event.command, event.actor) == ("age", None)
        assert event.before is not None
        assert event.after is not None
        assert (event.before["status"], event.after["status"]) == ("NOT_SCHEDULED", "AVAILABLE")
        assert event.after["owner"] is None
        assert event.after["version"] == 2
        assert still.app.leads.get(still.alice, ahead.id).version == 1
        assert still.app.leads.get(still.alice, old.id).version == 1
        assert still.app.leads.sweep().changed == 0

    def test_an_overlapping_sweep_never_writes_a_lead_back(self, still: Seeds) -> None:
        lead = self._add(still)
        deadline = START.add(days=2)
        still.clock.set(deadline)
        assert still.app.leads.sweep().changed == 1
        still.clock.set(deadline.subtract(seconds=1))  # a run that read the clock earlier
        assert still.app.leads.sweep().changed == 0
        still.clock.set(deadline)
        stored = still.app.leads.get(still.alice, lead.id)
        assert (stored.status, stored.version) == (S.PAST_DUE, 2)

    def test_bad_input_is_a_validation_error_and_changes_nothing(self, still: Seeds) -> None:
        lead = self._add(still)
        calls: list[Callable[[], object]] = [
            lambda: still.app.leads.add(still.alice, name=""),
            lambda: still.app.leads.add(still.alice, name=7),  # type: ignore[arg-type]
            lambda: still.app.leads.touch(still.alice, lead.id, kind="fax"),
            lambda: still.app.leads.touch(still.alice, 42),  # type: ignore[arg-type]
            lambda: still.app.leads.archive(still.alice, lead.id, reason="bored"),
            lambda: still.app.leads.lead_bank(still.alice, page=0),
            lambda: still.app.leads.lead_bank(still.alice, per_page=10**6),
            lambda: still.app.leads.lead_bank(still.alice, sort=["name; DROP TABLE leads"]),
            lambda: still.app.leads.scheduled(still.alice, starts="monday"),  # type: ignore[arg-type]
            lambda: still.app.leads.sweep(batch_size=0),
        ]
        for call in calls:
            with pytest.raises(cl.ValidationError):
                call()
        assert still.app.leads.get(still.alice, lead.id) == lead

    def test_business_days_skip_the_weekend(self, still: Seeds) -> None:
        policy = cl.AgingPolicy(days="business")
        org = still.app.organisations.set_aging(still.org.id, policy)
        assert (org.aging, org.version) == (policy, 2)
        assert still.app.organisations.get(still.org.id).aging == policy
        friday = pendulum.datetime(2026, 11, 6, 15, tz="Europe/London")
        still.clock.set(friday)
        lead = self._add(still)
        still.clock.set(friday.add(days=4).subtract(microseconds=1))  # Tuesday, just before
        assert still.app.leads.get(still.alice, lead.id).status is S.NOT_SCHEDULED
        still.clock.set(friday.add(days=4))
        assert still.app.leads.get(still.alice, lead.id).status is S.PAST_DUE
        with pytest.raises(cl.ValidationError):
            still.app.organisations.set_aging(still.org.id, {"days": "business"})  # type: ignore[arg-type]
