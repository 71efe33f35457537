"""The query contract: list pages, owner search, sorting, paging, badges and open follow-ups."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.domain.shared.paging import Page
from contactlog_core.ports import Store

__all__ = ["QueryContract"]

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


class Office:
    """Four staff of one school and a stranger, with logs in every state."""

    def __init__(self, store: Store) -> None:
        self.clock = cl.ManualClock(START, tick=pendulum.duration(seconds=1))
        self.app = cl.ContactLogApp(store, clock=self.clock)
        org = self.app.organisations.create("Northfield Primary", timezone="Europe/London")
        elsewhere = self.app.organisations.create("Elsewhere Academy")
        self.alice = self._staff(org.id, "Alice Smith", "office_admin")
        self.alan = self._staff(org.id, "Alan Élan", "office_admin")
        self.bob = self._staff(org.id, "Bob O'Brien-Lee", "office_admin")
        self.head = self._staff(org.id, "Hana Patel", "school_admin")
        self.eve = self._staff(elsewhere.id, "Alice Stranger", "school_admin")
        app, due = self.app, START.add(days=2)
        self.bus = app.logs.record(
            self.alice, subject="bus route", follow_up=cl.FollowUpDraft(due_at=due)
        )
        self.lunch = app.logs.record(self.alan, subject="Lunch money")
        self.trip = app.logs.record(self.bob, subject="École trip", priority="high")
        self.fees = app.logs.record(self.head, subject="fees")
        app.logs.surrender(self.bob, self.trip.id)
        app.logs.complete(self.head, self.fees.id)
        app.logs.record(self.eve, subject="bus route")

    def follow_up_lunch(self, **draft: Any) -> cl.ContactLog:
        """Alan adds a follow-up to his lunch money log, due a day after the start."""
        follow_up = cl.FollowUpDraft(due_at=START.add(days=1), **draft)
        return self.app.logs.add_follow_up(self.alan, self.lunch.id, follow_up)

    def _staff(self, org_id: str, name: str, role: str) -> cl.Actor:
        return self.app.actor(self.app.staff.add(org_id, name=name, role=role).id)

    def subjects(self, page: Page[Any]) -> list[str]:
        return [row.subject for row in page.items]


def _as_any(value: object) -> Any:
    return value


class QueryContract:
    """What every store answers for the log list, badges and the follow-ups list."""

    @pytest.fixture
    def office(self, store: Store) -> Office:
        return Office(store)

    def test_the_list_is_newest_change_first_by_default(self, office: Office) -> None:
        page = office.app.logs.list(office.alice)
        assert office.subjects(page) == ["fees", "École trip", "Lunch money", "bus route"]
        assert (page.total, page.has_prev, page.has_next) == (4, False, False)

    def test_filter_by_one_status_or_several(self, office: Office) -> None:
        logs = office.app.logs
        assert office.subjects(logs.list(office.alice, status="OPEN")) == ["École trip"]
        both = logs.list(office.alice, status=[cl.LogStatus.OPEN, cl.LogStatus.COMPLETED])
        assert office.subjects(both) == ["fees", "École trip"]

    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("al", ["Lunch money", "bus route"]),
            ("AL", ["Lunch money", "bus route"]),
            ("ela", ["Lunch money"]),
            ("élan", ["Lunch money"]),
            ("smi", ["bus route"]),
            ("al sm", ["bus route"]),
            ("lee", []),
            ("zed", []),
            ("", ["Lunch money", "bus route"]),
        ],
    )
    def test_owner_name_matches_as_one_types(
        self, office: Office, typed: str, expected: list[str]
    ) -> None:
        page = office.app.logs.list(office.alice, owner_name=typed, status="IN_PROGRESS")
        assert office.subjects(page) == expected

    @pytest.mark.parametrize(
        ("typed", "total"),
        [("%", 4), ("\\", 4), ("_", 0), ("' OR 1=1 --", 0), ("a%b_c", 0), ("al%", 2), ("o'b", 0)],
    )
    def test_sql_metacharacters_in_a_name_are_just_text(
        self, office: Office, typed: str, total: int
    ) -> None:
        # Only word characters search; punctuation separates words and matches nothing itself.
        assert office.app.logs.list(office.alice, owner_name=typed).total == total
        assert office.app.logs.list(office.alice).total == 4

    def test_sort_by_any_column_both_ways_with_a_stable_tie_break(self, office: Office) -> None:
        logs = office.app.logs
        assert office.subjects(logs.list(office.alice, sort="subject")) == [
            "bus route",
            "École trip",
            "fees",
            "Lunch money",
        ]
        by_owner = logs.list(office.alice, sort=["owner_name", "subject"])
        assert [r.owner_name for r in by_owner.items] == ["Alan Élan", "Alice Smith", None, None]
        by_owner_desc = logs.list(office.alice, sort="-owner_name")
        assert [r.owner_name for r in by_owner_desc.items][:2] == ["Alice Smith", "Alan Élan"]
        by_due = logs.list(office.alice, sort=["next_due_at", "subject"])
        assert office.subjects(by_due)[0] == "bus route"
        assert [
            r.status for r in logs.list(office.alice, sort=["status", "-created_at"]).items
        ] == [
            "COMPLETED",
            "IN_PROGRESS",
            "IN_PROGRESS",
            "OPEN",
        ]

    def test_pages_of_a_chosen_size(self, office: Office) -> None:
        logs = office.app.logs
        first = logs.list(office.alice, per_page=3)
        second = logs.list(office.alice, per_page=3, page=2)
        beyond = logs.list(office.alice, per_page=3, page=9)
        assert (len(first.items), first.has_next, first.has_prev, first.pages) == (
            3,
            True,
            False,
            2,
        )
        assert (len(second.items), second.has_next, second.has_prev) == (1, False, True)
        assert (beyond.items, beyond.total) == ((), 4)
        assert office.subjects(first) + office.subjects(second) == office.subjects(
            logs.list(office.alice)
        )

    @pytest.mark.parametrize(
        "kw",
        [
            {"page": 0},
            {"page": -1},
            {"page": "2"},
            {"per_page": 0},
            {"per_page": 10_000},
            {"sort": "colour"},
            {"sort": ["subject", "subject"]},
            {"sort": "subject; DROP TABLE logs"},
            {"sort": []},
            {"sort": [1]},
            {"status": "LOST"},
            {"status": 3},
            {"owner_name": 7},
            {"owner_name": "a b c d e f"},
        ],
    )
    def test_bad_list_input_is_a_validation_error(self, office: Office, kw: dict[str, Any]) -> None:
        with pytest.raises(cl.ValidationError):
            office.app.logs.list(office.alice, **kw)
        assert office.app.logs.list(office.alice).total == 4

    def test_another_organisation_sees_only_its_own(self, office: Office) -> None:
        page = office.app.logs.list(office.eve)
        assert (page.total, office.subjects(page)) == (1, ["bus route"])
        assert office.app.logs.list(office.eve, owner_name="smith").total == 0

    def test_badges_for_the_organisation_and_for_me(self, office: Office) -> None:
        logs = office.app.logs
        office.follow_up_lunch()
        badges = logs.badges(office.alice)
        assert (badges.organisation.open, badges.organisation.in_progress) == (1, 2)
        assert (badges.organisation.follow_ups, badges.organisation.total) == (2, 5)
        assert (badges.mine.open, badges.mine.in_progress, badges.mine.follow_ups) == (0, 1, 1)
        bob = logs.badges(office.bob)
        assert (bob.mine.open, bob.mine.in_progress, bob.mine.follow_ups, bob.mine.total) == (
            1,
            0,
            0,
            1,
        )
        assert logs.badges(office.eve).organisation.in_progress == 1

    def test_my_follow_ups_are_what_my_badge_counts(self, office: Office) -> None:
        logs = office.app.logs
        office.follow_up_lunch(forward_to=office.alice.staff_id)
        office.follow_up_lunch(assigned_to=office.bob.staff_id)
        # The forwarded one is unassigned on a log Alan holds: his as well as hers.
        for who, expected in ((office.alice, 2), (office.alan, 1), (office.bob, 1)):
            mine = logs.follow_ups(who, mine=True)
            assert mine.total == logs.badges(who).mine.follow_ups == expected

    def test_completing_a_log_clears_its_follow_ups_from_the_badges(self, office: Office) -> None:
        logs = office.app.logs
        logs.complete(office.alice, office.bus.id)
        assert logs.badges(office.alice).organisation.follow_ups == 0
        logs.reopen(office.head, office.bus.id)
        assert logs.badges(office.alice).organisation.follow_ups == 1

    def test_open_follow_ups_are_listed_soonest_first_overdue_flagged(self, office: Office) -> None:
        logs = office.app.logs
        office.follow_up_lunch(assigned_to=office.bob.staff_id, priority=cl.Priority.URGENT)
        office.clock.set(START.add(days=1, hours=12))
        page = logs.follow_ups(office.alice)
        assert [(r.log_subject, r.overdue) for r in page.items] == [
            ("Lunch money", True),
            ("bus route", False),
        ]
        assert [r.assignee_name for r in page.items] == ["Bob O'Brien-Lee", None]
        assert logs.follow_ups(office.alice, sort="-priority").items[0].log_subject == "Lunch money"
        assert [r.log_subject for r in logs.follow_ups(office.alice, sort="log_subject").items] == [
            "bus route",
            "Lunch money",
        ]
        assert [r.log_subject for r in logs.follow_ups(office.bob, mine=True).items] == [
            "Lunch money"
        ]
        assert logs.follow_ups(office.alice, overdue_only=True).total == 1

    def test_done_follow_ups_and_completed_logs_are_not_outstanding(self, office: Office) -> None:
        logs = office.app.logs
        logs.complete_follow_up(office.alice, office.bus.id, office.bus.follow_ups[0].id)
        assert logs.follow_ups(office.alice).total == 0
        assert logs.follow_ups(office.eve).total == 0

    @pytest.mark.parametrize(
        "kw",
        [{"sort": "due"}, {"mine": "yes"}, {"overdue_only": 1}, {"page": 0}, {"per_page": 101}],
    )
    def test_bad_follow_up_input_is_a_validation_error(
        self, office: Office, kw: dict[str, Any]
    ) -> None:
        with pytest.raises(cl.ValidationError):
            office.app.logs.follow_ups(office.alice, **kw)

    def test_a_forged_actor_lists_nothing(self, office: Office) -> None:
        forged = cl.Actor(
            staff_id=office.eve.staff_id, org_id=office.alice.org_id, role="school_admin"
        )
        with pytest.raises(cl.NotFound):
            office.app.logs.list(forged)
        with pytest.raises(cl.NotFound):
            office.app.logs.badges(_as_any(forged))
