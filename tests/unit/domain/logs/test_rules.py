"""Each row of the ownership table (docs/rules.md, "Contact logs"): the allowed case and the refused ones.

Then the precise refusal each kind of "no" raises, and the diagram drawn from the table.
"""

from __future__ import annotations

import pytest

from contactlog_core import (
    Actor,
    ContactLog,
    ContactRef,
    InvalidTransition,
    LockedByOther,
    LogStatus,
    NotFound,
    PermissionDenied,
    Policy,
    Staff,
    ValidationError,
)
from contactlog_core.domain.logs import commands
from contactlog_core.domain.logs.rules import mermaid_diagram
from tests.support.seeds import NOW

LATER = NOW.add(minutes=5)


def assert_one_step(before: ContactLog, after: ContactLog) -> None:
    assert after.version == before.version + 1
    assert after.updated_at == LATER
    assert (after.status is LogStatus.IN_PROGRESS) == (after.owner is not None)


# record -------------------------------------------------------------------------------------


def test_any_staff_member_records_a_log_locked_to_themselves(office_admin: Actor) -> None:
    change = commands.record(log_id="l", actor=office_admin, now=NOW, contact=None, subject=" Bus ")
    log = change.after
    assert (log.status, log.owner, log.created_by, log.version) == (
        LogStatus.IN_PROGRESS,
        office_admin.staff_id,
        office_admin.staff_id,
        1,
    )
    assert log.subject == "Bus"
    assert change.before is None
    assert change.command == "record"


@pytest.mark.parametrize("subject", ["", "   ", None, 42, "x" * 201])
def test_a_log_needs_a_sensible_subject(office_admin: Actor, subject: object) -> None:
    with pytest.raises(ValidationError) as e:
        commands.record(log_id="l", actor=office_admin, now=NOW, contact=None, subject=subject)
    assert e.value.field == "subject"


# take ---------------------------------------------------------------------------------------


def test_anyone_takes_an_open_log(
    open_log: ContactLog, other_office_admin: Actor, policy: Policy
) -> None:
    after = commands.take(open_log, other_office_admin, LATER, policy).after
    assert (after.status, after.owner) == (LogStatus.IN_PROGRESS, other_office_admin.staff_id)
    assert_one_step(open_log, after)


def test_office_admin_cannot_take_a_log_locked_by_another(
    held_log: ContactLog, other_office_admin: Actor, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther) as e:
        commands.take(held_log, other_office_admin, LATER, policy)
    assert (e.value.owner, e.value.log_id, e.value.command) == (
        office_admin.staff_id,
        held_log.id,
        "take",
    )


def test_taking_your_own_log_again_is_an_invalid_transition(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition) as e:
        commands.take(held_log, office_admin, LATER, policy)
    assert (e.value.status, e.value.command) == ("IN_PROGRESS", "take")


def test_a_completed_log_cannot_be_taken(
    completed_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition) as e:
        commands.take(completed_log, school_admin, LATER, policy)
    assert e.value.status == "COMPLETED"


# force-take ---------------------------------------------------------------------------------


def test_school_admin_force_takes_from_an_office_admin(
    held_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    after = commands.force_take(
        held_log, school_admin, LATER, policy, holder_role="office_admin"
    ).after
    assert after.owner == school_admin.staff_id
    assert_one_step(held_log, after)


def test_equal_rank_never_force_takes(
    held_log: ContactLog, other_office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther):
        commands.force_take(held_log, other_office_admin, LATER, policy, holder_role="office_admin")


def test_school_admin_cannot_force_take_from_another_school_admin(
    held_log: ContactLog, school_admin: Actor, other_school_admin: Actor, policy: Policy
) -> None:
    theirs = commands.force_take(
        held_log, other_school_admin, NOW, policy, holder_role="office_admin"
    ).after
    with pytest.raises(LockedByOther) as e:
        commands.force_take(theirs, school_admin, LATER, policy, holder_role="school_admin")
    assert e.value.owner == other_school_admin.staff_id


def test_force_take_needs_a_held_log(
    open_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition):
        commands.force_take(open_log, school_admin, LATER, policy, holder_role="office_admin")


def test_force_taking_your_own_log_is_refused(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition):
        commands.force_take(held_log, office_admin, LATER, policy, holder_role="office_admin")


# assign -------------------------------------------------------------------------------------


def test_owner_assigns_to_a_colleague(
    held_log: ContactLog, office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    after = commands.assign(held_log, office_admin, LATER, policy, assignee=bob_staff).after
    assert (after.status, after.owner) == (LogStatus.IN_PROGRESS, bob_staff.id)
    assert_one_step(held_log, after)


def test_anyone_assigns_an_open_log(
    open_log: ContactLog, other_office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    after = commands.assign(open_log, other_office_admin, LATER, policy, assignee=bob_staff).after
    assert after.owner == bob_staff.id


def test_an_outranking_actor_assigns_a_held_log(
    held_log: ContactLog, school_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    after = commands.assign(
        held_log, school_admin, LATER, policy, assignee=bob_staff, holder_role="office_admin"
    ).after
    assert after.owner == bob_staff.id


def test_an_equal_colleague_cannot_assign_a_held_log(
    held_log: ContactLog, other_office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    with pytest.raises(LockedByOther):
        commands.assign(
            held_log,
            other_office_admin,
            LATER,
            policy,
            assignee=bob_staff,
            holder_role="office_admin",
        )


def test_a_completed_log_cannot_be_assigned(
    completed_log: ContactLog, school_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition):
        commands.assign(completed_log, school_admin, LATER, policy, assignee=bob_staff)


def test_assigning_to_another_organisations_staff_is_not_found(
    held_log: ContactLog, office_admin: Actor, outsider: Actor, bob_staff: Staff, policy: Policy
) -> None:
    stranger = Staff(
        id=outsider.staff_id,
        org_id=outsider.org_id,
        name="Eve",
        role="school_admin",
        created_at=NOW,
    )
    with pytest.raises(NotFound):
        commands.assign(held_log, office_admin, LATER, policy, assignee=stranger)


# surrender, amend, complete: owner only ----------------------------------------------------


def test_owner_surrenders_and_the_log_is_open_with_no_owner(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.surrender(held_log, office_admin, LATER, policy).after
    assert (after.status, after.owner) == (LogStatus.OPEN, None)
    assert_one_step(held_log, after)


@pytest.mark.parametrize("command", ["surrender", "complete", "amend"])
def test_only_the_owner_surrenders_completes_or_amends(
    held_log: ContactLog, school_admin: Actor, policy: Policy, command: str
) -> None:
    calls = {
        "surrender": lambda: commands.surrender(held_log, school_admin, LATER, policy),
        "complete": lambda: commands.complete(held_log, school_admin, LATER, policy),
        "amend": lambda: commands.amend(held_log, school_admin, LATER, policy, notes="x"),
    }
    with pytest.raises(LockedByOther) as e:
        calls[command]()
    assert e.value.command == command


@pytest.mark.parametrize("command", ["surrender", "complete", "amend"])
def test_an_open_log_has_no_owner_to_surrender_complete_or_amend(
    open_log: ContactLog, office_admin: Actor, policy: Policy, command: str
) -> None:
    calls = {
        "surrender": lambda: commands.surrender(open_log, office_admin, LATER, policy),
        "complete": lambda: commands.complete(open_log, office_admin, LATER, policy),
        "amend": lambda: commands.amend(open_log, office_admin, LATER, policy, notes="x"),
    }
    with pytest.raises(InvalidTransition) as e:
        calls[command]()
    assert (e.value.status, e.value.command) == ("OPEN", command)


def test_owner_amends_subject_notes_priority_and_channel(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.amend(
        held_log,
        office_admin,
        LATER,
        policy,
        subject="Bus route",
        notes="n",
        priority="high",
        channel="email",
    ).after
    assert (after.subject, after.notes, after.priority, after.channel) == (
        "Bus route",
        "n",
        "high",
        "email",
    )
    assert (after.status, after.owner) == (held_log.status, held_log.owner)
    assert_one_step(held_log, after)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "amend"),
        ({"status": "OPEN"}, "amend"),
        ({"priority": "sky-high"}, "priority"),
        ({"subject": ""}, "subject"),
        ({"channel": "pigeon"}, "channel"),
        ({"notes": "a\x00b"}, "notes"),
        ({"contact": "parent-7"}, "contact"),
        ({"contact": ContactRef(id="p\t7", display_name="Mrs Patel")}, "contact.id"),
    ],
)
def test_amend_refuses_nothing_unknown_or_bad_fields(
    held_log: ContactLog, office_admin: Actor, policy: Policy, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.amend(held_log, office_admin, LATER, policy, **fields)
    assert e.value.field == field


def test_owner_completes_the_lock_is_released_and_completed_by_kept(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    after = commands.complete(held_log, office_admin, LATER, policy).after
    assert (after.status, after.owner, after.completed_by, after.completed_at) == (
        LogStatus.COMPLETED,
        None,
        office_admin.staff_id,
        LATER,
    )
    assert_one_step(held_log, after)


# reopen -------------------------------------------------------------------------------------


def test_school_admin_reopens_a_completed_log_and_holds_it(
    completed_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    after = commands.reopen(completed_log, school_admin, LATER, policy).after
    assert (after.status, after.owner, after.completed_by) == (
        LogStatus.IN_PROGRESS,
        school_admin.staff_id,
        None,
    )
    assert_one_step(completed_log, after)


def test_office_admin_may_not_reopen(
    completed_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(PermissionDenied) as e:
        commands.reopen(completed_log, office_admin, LATER, policy)
    assert (e.value.permission, e.value.command) == ("reopen_log", "reopen")


def test_only_completed_logs_reopen(
    held_log: ContactLog, school_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition):
        commands.reopen(held_log, school_admin, LATER, policy)


# organisations ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["take", "surrender", "complete", "reopen"])
def test_another_organisations_log_does_not_exist_for_the_actor(
    held_log: ContactLog, outsider: Actor, policy: Policy, command: str
) -> None:
    call = getattr(commands, command)
    with pytest.raises(NotFound):
        call(held_log, outsider, LATER, policy)


def test_a_naive_now_is_refused(held_log: ContactLog, office_admin: Actor, policy: Policy) -> None:
    with pytest.raises(ValidationError) as e:
        commands.surrender(held_log, office_admin, LATER.naive(), policy)
    assert e.value.field == "now"


# who may: the precise refusal ---------------------------------------------------------------


def test_another_organisations_log_is_not_found_by_its_id(
    held_log: ContactLog, outsider: Actor, policy: Policy
) -> None:
    with pytest.raises(NotFound) as e:
        commands.surrender(held_log, outsider, LATER, policy)
    assert (e.value.kind, e.value.id) == ("log", "log-1")
    assert str(e.value) == "no log with id 'log-1'"


def test_office_admin_cannot_take_a_completed_log(
    completed_log: ContactLog, other_office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition) as e:
        commands.take(completed_log, other_office_admin, LATER, policy)
    assert e.value.record_id == "log-1"
    assert str(e.value) == "cannot take log-1 while it is COMPLETED"


def test_office_admin_cannot_surrender_a_colleagues_log(
    held_log: ContactLog, other_office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther) as e:
        commands.surrender(held_log, other_office_admin, LATER, policy)
    assert (e.value.log_id, e.value.owner, e.value.command) == ("log-1", "alice", "surrender")
    assert str(e.value) == "cannot surrender log log-1: it is held by alice"


def test_office_admin_cannot_assign_a_colleagues_log(
    held_log: ContactLog, other_office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    with pytest.raises(LockedByOther) as e:
        commands.assign(
            held_log,
            other_office_admin,
            LATER,
            policy,
            assignee=bob_staff,
            holder_role="office_admin",
        )
    assert (e.value.log_id, e.value.owner, e.value.command) == ("log-1", "alice", "assign")
    assert str(e.value) == "cannot assign log log-1: it is held by alice"


def test_office_admin_cannot_force_take_from_an_equal(
    held_log: ContactLog, other_office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(LockedByOther) as e:
        commands.force_take(held_log, other_office_admin, LATER, policy, holder_role="office_admin")
    assert (e.value.log_id, e.value.owner, e.value.command) == ("log-1", "alice", "force_take")
    assert str(e.value) == "cannot force_take log log-1: it is held by alice"


def test_office_admin_cannot_force_take_her_own_log(
    held_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(InvalidTransition) as e:
        commands.force_take(held_log, office_admin, LATER, policy, holder_role="office_admin")
    assert (e.value.command, e.value.record_id) == ("force_take", "log-1")
    assert str(e.value) == "cannot force_take log-1 while it is IN_PROGRESS (held by the actor)"


def test_office_admin_cannot_reopen_and_is_told_that_she_lacks_the_permission(
    completed_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(PermissionDenied) as e:
        commands.reopen(completed_log, office_admin, LATER, policy)
    assert (e.value.permission, e.value.actor, e.value.command) == ("reopen_log", "alice", "reopen")
    assert str(e.value).endswith(" permission, which alice lacks")


def test_office_admin_cannot_reopen_and_the_message_names_the_permission_plainly(
    completed_log: ContactLog, office_admin: Actor, policy: Policy
) -> None:
    with pytest.raises(PermissionDenied) as e:
        commands.reopen(completed_log, office_admin, LATER, policy)
    assert str(e.value) == "reopen needs the 'reopen_log' permission, which alice lacks"


# the diagram --------------------------------------------------------------------------------


def test_the_diagram_is_a_mermaid_state_diagram_starting_from_record() -> None:
    lines = mermaid_diagram().splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> IN_PROGRESS: record (any staff member)" in lines
    assert "    COMPLETED --> IN_PROGRESS: reopen (reopen_log)" in lines
