"""The log commands: what each records, changes and refuses, follow-ups included.

Defaults, contacts, follow-up limits, which field a refusal names and what each
refusal says; who may run each command is the ownership table's (``test_rules``).
"""

from __future__ import annotations

from typing import Any

import pytest

from contactlog_core import (
    Actor,
    Channel,
    ContactLog,
    ContactRef,
    FollowUpDraft,
    FollowUpId,
    InvalidTransition,
    LockedByOther,
    LogId,
    NotFound,
    Policy,
    Priority,
    Staff,
    StaffId,
    ValidationError,
)
from contactlog_core.domain.logs import commands
from tests.support.seeds import NOW, make_staff

LATER = NOW.add(minutes=5)
AN_HOUR_LATER = NOW.add(hours=1)
PARENT = ContactRef(id="parent-7", display_name="  Mrs Patel  ")


def new_log(actor: Actor, **kw: Any) -> ContactLog:
    fields: dict[str, Any] = {"contact": None, "subject": "Bus times", **kw}
    return commands.record(log_id=LogId("log-1"), actor=actor, now=NOW, **fields).after


def follow_up(fid: str, days: int = 1, **kw: Any) -> Any:
    return commands.new_follow_up(
        FollowUpId(fid), FollowUpDraft(due_at=NOW.add(days=days), **kw), NOW
    )


def draft(days: int = 1, **kw: object) -> FollowUpDraft:
    fields: dict[str, object] = {"reason": "call back", **kw}
    return FollowUpDraft(due_at=NOW.add(days=days), **fields)


# record -------------------------------------------------------------------------------------


def test_a_log_recorded_without_notes_has_empty_notes(office_admin: Actor) -> None:
    assert new_log(office_admin).notes == ""


def test_a_log_keeps_its_notes_channel_and_priority(office_admin: Actor) -> None:
    log = new_log(office_admin, notes="  rang twice ", channel="email", priority="urgent")
    assert (log.notes, log.channel, log.priority) == ("rang twice", Channel.EMAIL, Priority.URGENT)


def test_a_log_keeps_its_contact_checked_and_trimmed(office_admin: Actor) -> None:
    log = new_log(office_admin, contact=PARENT)
    assert log.contact == ContactRef(id="parent-7", display_name="Mrs Patel")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"priority": "someday"}, "priority"),
        ({"notes": "a\x00b"}, "notes"),
        ({"notes": "n" * (commands.MAX_NOTES + 1)}, "notes"),
        ({"contact": ContactRef(id="", display_name="Mrs Patel")}, "contact.id"),
        ({"contact": ContactRef(id="parent-7", display_name=" ")}, "contact.display_name"),
        ({"contact": {"id": "parent-7"}}, "contact"),
    ],
)
def test_office_admin_cannot_record_a_bad_field(
    office_admin: Actor, kw: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        new_log(office_admin, **kw)
    assert e.value.field == field


def test_a_contact_must_be_a_contact_ref(office_admin: Actor) -> None:
    with pytest.raises(ValidationError) as e:
        new_log(office_admin, contact={"id": "parent-7"})
    assert str(e.value) == "invalid contact: expected a ContactRef, got dict"


def test_a_log_is_not_recorded_at_a_naive_instant(office_admin: Actor) -> None:
    with pytest.raises(ValidationError) as e:
        commands.record(log_id="l", actor=office_admin, now=NOW.naive(), contact=None, subject="s")
    assert e.value.field == "now"


def test_office_admin_cannot_record_more_than_a_hundred_follow_ups(office_admin: Actor) -> None:
    too_many = [follow_up(f"f{i}") for i in range(commands.MAX_FOLLOW_UPS + 1)]
    with pytest.raises(ValidationError) as e:
        new_log(office_admin, follow_ups=too_many)
    assert e.value.field == "follow_ups"
    assert str(e.value) == "invalid follow_ups: at most 100 per log"


def test_recording_is_a_change_by_the_recorder_from_nothing(office_admin: Actor) -> None:
    change = commands.record(log_id="l", actor=office_admin, now=NOW, contact=None, subject="s")
    assert (change.command, change.actor, change.at, change.before) == (
        "record",
        "alice",
        NOW,
        None,
    )


@pytest.mark.parametrize("command", ["surrender", "complete", "amend", "add_follow_up"])
def test_each_step_is_a_change_naming_command_actor_and_the_log_before(
    held_log: ContactLog, office_admin: Actor, policy: Policy, command: str
) -> None:
    calls = {
        "surrender": lambda: commands.surrender(held_log, office_admin, LATER, policy),
        "complete": lambda: commands.complete(held_log, office_admin, LATER, policy),
        "amend": lambda: commands.amend(held_log, office_admin, LATER, policy, notes="n"),
        "add_follow_up": lambda: commands.add_follow_up(
            held_log, office_admin, LATER, policy, follow_up("f1")
        ),
    }
    change = calls[command]()
    assert (change.command, change.actor, change.at) == (command, "alice", LATER)
    assert change.before == held_log
    assert change.after.version == held_log.version + 1


# amend --------------------------------------------------------------------------------------


def test_owner_sets_changes_and_clears_the_contact(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with_contact = commands.amend(held_log, office_admin, LATER, policy, contact=PARENT).after
    assert with_contact.contact == ContactRef(id="parent-7", display_name="Mrs Patel")
    cleared = commands.amend(with_contact, office_admin, LATER, policy, contact=None).after
    assert cleared.contact is None


def test_owner_clears_the_notes(held_log: ContactLog, office_admin: Actor, policy: Policy) -> None:
    noted = commands.amend(held_log, office_admin, LATER, policy, notes="rang twice").after
    assert commands.amend(noted, office_admin, LATER, policy, notes="  ").after.notes == ""


def test_amend_says_which_fields_cannot_be_amended_and_when_nothing_changes(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.amend(held_log, office_admin, LATER, policy, status="OPEN", owner="bob")
    assert str(e.value) == "invalid amend: cannot amend owner, status"
    with pytest.raises(ValidationError) as e:
        commands.amend(held_log, office_admin, LATER, policy)
    assert str(e.value) == "invalid amend: nothing to change"


# assign, reopen -----------------------------------------------------------------------------


def test_office_admin_cannot_assign_to_another_organisations_staff(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    stranger: Staff = make_staff("eve", "office_admin", org="elsewhere")
    with pytest.raises(NotFound) as e:
        commands.assign(held_log, office_admin, LATER, policy, assignee=stranger)
    assert (e.value.kind, e.value.id) == ("staff", "eve")
    assert str(e.value) == "no staff with id 'eve'"


def test_a_reopened_log_forgets_when_and_by_whom_it_was_completed(
    completed_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    assert completed_log.completed_at is not None
    after = commands.reopen(completed_log, school_admin, LATER, policy).after
    assert (after.completed_by, after.completed_at) == (None, None)


# follow-ups: made from a draft, at most a hundred -------------------------------------------


def test_a_follow_up_keeps_who_it_is_forwarded_to() -> None:
    fu = follow_up("f1", forward_to=StaffId("bob"), assigned_to=StaffId("alice"))
    assert (fu.forward_to, fu.assigned_to) == ("bob", "alice")


def test_a_follow_up_forwarded_to_a_bad_id_is_refused() -> None:
    with pytest.raises(ValidationError) as e:
        follow_up("f1", forward_to="")
    assert e.value.field == "forward_to"


def test_a_follow_up_must_come_from_a_draft() -> None:
    with pytest.raises(ValidationError) as e:
        commands.new_follow_up(FollowUpId("f1"), {"due_at": NOW}, NOW)  # a dict, not a draft
    assert e.value.field == "follow_up"
    assert str(e.value) == "invalid follow_up: expected a FollowUpDraft, got dict"


def test_a_follow_up_is_not_made_at_a_naive_instant() -> None:
    with pytest.raises(ValidationError) as e:
        commands.new_follow_up(FollowUpId("f1"), FollowUpDraft(due_at=NOW.add(days=1)), NOW.naive())
    assert e.value.field == "now"


def test_a_follow_up_with_a_naive_due_date_names_due_at() -> None:
    with pytest.raises(ValidationError) as e:
        commands.new_follow_up(FollowUpId("f1"), FollowUpDraft(due_at=NOW.naive()), NOW)
    assert e.value.field == "due_at"


def test_a_follow_up_due_in_the_past_says_when_now_is() -> None:
    with pytest.raises(ValidationError) as e:
        follow_up("f1", days=-1)
    assert e.value.field == "due_at"
    assert str(e.value) == (
        "invalid due_at: 2026-11-01T09:00:00+00:00 is in the past (now is 2026-11-02T09:00:00+00:00)"
    )


def test_office_admin_cannot_add_a_hundred_and_first_follow_up(
    office_admin: Actor, policy: Policy
) -> None:
    full = new_log(office_admin, follow_ups=[follow_up(f"f{i}") for i in range(100)])
    with pytest.raises(ValidationError) as e:
        commands.add_follow_up(full, office_admin, LATER, policy, follow_up("f100"))
    assert e.value.field == "follow_ups"
    assert str(e.value) == "invalid follow_ups: at most 100 per log"


def test_a_log_holds_at_most_a_hundred_follow_ups(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    drafts = [
        commands.new_follow_up(FollowUpId(f"f{i}"), FollowUpDraft(due_at=NOW.add(days=1)), NOW)
        for i in range(commands.MAX_FOLLOW_UPS + 1)
    ]
    with pytest.raises(ValidationError):
        commands.record(
            log_id="l", actor=office_admin, now=NOW, contact=None, subject="s", follow_ups=drafts
        )
    full = commands.record(
        log_id="l", actor=office_admin, now=NOW, contact=None, subject="s", follow_ups=drafts[:-1]
    ).after
    with pytest.raises(ValidationError):
        commands.add_follow_up(full, office_admin, NOW, policy, drafts[-1])


def test_office_admin_cannot_add_the_same_follow_up_twice(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    once = commands.add_follow_up(held_log, office_admin, LATER, policy, follow_up("f1")).after
    with pytest.raises(ValidationError) as e:
        commands.add_follow_up(once, office_admin, LATER, policy, follow_up("f1"))
    assert e.value.field == "follow_up"
    assert str(e.value) == "invalid follow_up: the log already has a follow-up 'f1'"


@pytest.fixture
def two_follow_ups(held_log: ContactLog, office_admin: Actor, policy: Policy) -> ContactLog:
    log = commands.add_follow_up(held_log, office_admin, NOW, policy, follow_up("f1")).after
    return commands.add_follow_up(log, office_admin, NOW, policy, follow_up("f2", days=2)).after


def test_completing_one_follow_up_leaves_the_others_outstanding(
    two_follow_ups: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    change = commands.complete_follow_up(two_follow_ups, office_admin, LATER, policy, "f1")
    assert (change.command, change.actor, change.at, change.before) == (
        "complete_follow_up",
        "alice",
        LATER,
        two_follow_ups,
    )
    after = change.after
    assert after.updated_at == LATER
    assert [f.id for f in after.follow_ups] == ["f1", "f2"]
    assert [f.id for f in after.outstanding_follow_ups] == ["f2"]
    assert after.follow_ups[1] == two_follow_ups.follow_ups[1]


def test_rescheduling_one_follow_up_leaves_the_others_alone(
    two_follow_ups: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.reschedule_follow_up(
        two_follow_ups, office_admin, LATER, policy, "f2", NOW.add(days=9)
    ).after
    assert [f.due_at for f in after.follow_ups] == [NOW.add(days=1), NOW.add(days=9)]


@pytest.mark.parametrize("command", ["complete_follow_up", "reschedule_follow_up"])
def test_office_admin_cannot_touch_a_follow_up_that_is_done(
    two_follow_ups: ContactLog, office_admin: Actor, policy: Policy, command: str
) -> None:
    done = commands.complete_follow_up(two_follow_ups, office_admin, LATER, policy, "f1").after
    calls = {
        "complete_follow_up": lambda: commands.complete_follow_up(
            done, office_admin, LATER, policy, "f1"
        ),
        "reschedule_follow_up": lambda: commands.reschedule_follow_up(
            done, office_admin, LATER, policy, "f1", NOW.add(days=3)
        ),
    }
    with pytest.raises(InvalidTransition) as e:
        calls[command]()
    assert (e.value.status, e.value.command, e.value.record_id) == ("done", command, "f1")
    assert str(e.value) == f"cannot {command} f1 while it is done"


def test_follow_ups_are_not_touched_at_a_naive_instant(
    two_follow_ups: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.complete_follow_up(two_follow_ups, office_admin, LATER.naive(), policy, "f1")
    assert e.value.field == "now"
    with pytest.raises(ValidationError) as e:
        commands.reschedule_follow_up(
            two_follow_ups, office_admin, LATER.naive(), policy, "f1", NOW.add(days=3)
        )
    assert e.value.field == "now"
    with pytest.raises(ValidationError) as e:
        commands.reschedule_follow_up(
            two_follow_ups, office_admin, LATER, policy, "f1", NOW.add(days=3).naive()
        )
    assert e.value.field == "due_at"


# follow-ups: added, rescheduled and marked done by the owner --------------------------------


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
        with_follow_up, office_admin, AN_HOUR_LATER, policy, "f1", NOW.add(days=5)
    )
    assert after.after.follow_ups[0].due_at == NOW.add(days=5)
    assert after.after.version == with_follow_up.version + 1


def test_mark_done_then_it_is_no_longer_outstanding(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.complete_follow_up(
        with_follow_up, office_admin, AN_HOUR_LATER, policy, "f1"
    ).after
    assert after.follow_ups[0].done_at == AN_HOUR_LATER
    assert after.outstanding_follow_ups == ()
    with pytest.raises(InvalidTransition) as e:
        commands.complete_follow_up(after, office_admin, AN_HOUR_LATER, policy, "f1")
    assert e.value.status == "done"
    with pytest.raises(InvalidTransition):
        commands.reschedule_follow_up(
            after, office_admin, AN_HOUR_LATER, policy, "f1", NOW.add(days=3)
        )


def test_an_unknown_follow_up_is_not_found(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(NotFound) as e:
        commands.complete_follow_up(with_follow_up, office_admin, AN_HOUR_LATER, policy, "nope")
    assert (e.value.kind, e.value.id) == ("follow-up", "nope")


def test_only_the_owner_touches_follow_ups(
    with_follow_up: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther):
        commands.complete_follow_up(with_follow_up, school_admin, AN_HOUR_LATER, policy, "f1")
    with pytest.raises(LockedByOther):
        commands.reschedule_follow_up(
            with_follow_up, school_admin, AN_HOUR_LATER, policy, "f1", NOW.add(days=3)
        )


def test_rescheduling_into_the_past_is_refused(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError):
        commands.reschedule_follow_up(
            with_follow_up, office_admin, AN_HOUR_LATER, policy, "f1", NOW.subtract(days=1)
        )


def test_a_naive_reschedule_is_refused_before_anything_else(
    completed_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(ValidationError):
        commands.reschedule_follow_up(
            completed_log, office_admin, AN_HOUR_LATER, policy, "f1", NOW.naive()
        )


def test_a_completed_log_has_no_outstanding_follow_ups(
    with_follow_up: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    done = commands.complete(with_follow_up, office_admin, AN_HOUR_LATER, policy).after
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
