"""Follow-ups of a log: added, rescheduled and marked done by its owner."""

from __future__ import annotations

import pytest
from seeds import NOW

from contactlog_core import (
    Actor,
    ContactLog,
    FollowUpDraft,
    FollowUpId,
    InvalidTransition,
    LockedByOther,
    NotFound,
    Policy,
    Priority,
    ValidationError,
)
from contactlog_core.domain.logs import commands

LATER = NOW.add(hours=1)


def draft(days: int = 1, **kw: object) -> FollowUpDraft:
    fields: dict[str, object] = {"reason": "call back", **kw}
    return FollowUpDraft(due_at=NOW.add(days=days), **fields)


@pytest.fixture
def with_follow_up(held_log: ContactLog, office_admin: Actor, policy: Policy) -> ContactLog:
    fu = commands.new_follow_up(FollowUpId("f1"), draft(priority=Priority.HIGH), NOW)
    return commands.add_follow_up(held_log, office_admin, NOW, policy, fu).after


def test_owner_adds_a_follow_up(with_follow_up: ContactLog, held_log: ContactLog) -> None:
    (fu,) = with_follow_up.follow_ups
    assert (fu.id, fu.due_at, fu.priority, fu.done_at) == (
        "f1",
        NOW.add(days=1),
        Priority.HIGH,
        None,
    )
    assert with_follow_up.version == held_log.version + 1
    assert with_follow_up.outstanding_follow_ups == (fu,)


def test_a_follow_up_due_in_the_past_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        commands.new_follow_up(FollowUpId("f"), draft(days=-1), NOW)
    assert e.value.field == "due_at"


def test_a_naive_due_date_is_refused() -> None:
    with pytest.raises(ValidationError):
        commands.new_follow_up(FollowUpId("f"), FollowUpDraft(due_at=NOW.add(days=1).naive()), NOW)


def test_reschedule_moves_the_due_date(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.reschedule_follow_up(
        with_follow_up, office_admin, LATER, policy, "f1", NOW.add(days=5)
    )
    assert after.after.follow_ups[0].due_at == NOW.add(days=5)
    assert after.after.version == with_follow_up.version + 1


def test_mark_done_then_it_is_no_longer_outstanding(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.complete_follow_up(with_follow_up, office_admin, LATER, policy, "f1").after
    assert after.follow_ups[0].done_at == LATER
    assert after.outstanding_follow_ups == ()
    with pytest.raises(InvalidTransition) as e:
        commands.complete_follow_up(after, office_admin, LATER, policy, "f1")
    assert e.value.status == "done"
    with pytest.raises(InvalidTransition):
        commands.reschedule_follow_up(after, office_admin, LATER, policy, "f1", NOW.add(days=3))


def test_an_unknown_follow_up_is_not_found(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(NotFound) as e:
        commands.complete_follow_up(with_follow_up, office_admin, LATER, policy, "nope")
    assert (e.value.kind, e.value.id) == ("follow-up", "nope")


def test_only_the_owner_touches_follow_ups(
    with_follow_up: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther):
        commands.complete_follow_up(with_follow_up, school_admin, LATER, policy, "f1")
    with pytest.raises(LockedByOther):
        commands.reschedule_follow_up(
            with_follow_up, school_admin, LATER, policy, "f1", NOW.add(days=3)
        )


def test_rescheduling_into_the_past_is_refused(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError):
        commands.reschedule_follow_up(
            with_follow_up, office_admin, LATER, policy, "f1", NOW.subtract(days=1)
        )


def test_a_naive_reschedule_is_refused_before_anything_else(
    completed_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError):
        commands.reschedule_follow_up(completed_log, office_admin, LATER, policy, "f1", NOW.naive())


def test_a_completed_log_has_no_outstanding_follow_ups(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    done = commands.complete(with_follow_up, office_admin, LATER, policy).after
    assert done.follow_ups[0].done_at is None
    assert done.outstanding_follow_ups == ()


def test_the_same_follow_up_id_twice_is_refused(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    again = commands.new_follow_up(FollowUpId("f1"), draft(), NOW)
    with pytest.raises(ValidationError):
        commands.add_follow_up(with_follow_up, office_admin, NOW, policy, again)


def test_a_draft_must_be_a_draft() -> None:
    with pytest.raises(ValidationError):
        commands.new_follow_up(FollowUpId("f"), {"due_at": NOW}, NOW)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"priority": "whenever"}, "priority"),
        ({"assigned_to": ""}, "assigned_to"),
        ({"reason": 5}, "reason"),
    ],
)
def test_draft_fields_are_checked(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as e:
        commands.new_follow_up(FollowUpId("f"), draft(**kw), NOW)
    assert e.value.field == field
