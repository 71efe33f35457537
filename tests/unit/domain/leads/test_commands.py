"""The lead transitions: each settles the lead at ``now``, asks the table, and ages the result."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core import (
    Actor,
    ContactLogError,
    InvalidTransition,
    LockedByOther,
    NotFound,
    PermissionDenied,
    Policy,
    Staff,
    StaffId,
    ValidationError,
)
from contactlog_core.domain.leads import commands
from contactlog_core.domain.leads.aging import AgingPolicy, age, aging_cutoffs, settle
from contactlog_core.domain.leads.model import (
    ArchiveReason,
    Lead,
    LeadCommand,
    LeadId,
    LeadStatus,
    TouchKind,
)
from contactlog_core.domain.leads.rules import lead_rule_for
from contactlog_core.domain.shared.events import Change
from tests.support.lead_seeds import AGING, LONDON, aging_policies, lead_in
from tests.support.seeds import NOW, make_staff

LATER = NOW.add(minutes=5)
S = LeadStatus


def add_lead(actor: Actor, roles: Policy, **fields: object) -> Change[Lead]:
    arguments: dict[str, object] = {
        "lead_id": LeadId("lead-1"),
        "actor": actor,
        "now": NOW,
        "timezone": LONDON,
        "policy": roles,
        "aging": AGING,
        "name": " Acme Ltd ",
    }
    return commands.add(**{**arguments, **fields})  # type: ignore[arg-type]


def assert_one_step(before: Lead, change: Change[Lead], at: DateTime = LATER) -> None:
    after = change.after
    assert after.version == before.version + 1
    assert (after.updated_at, change.at) == (at, at)
    assert after.status is age(after, at, LONDON, AGING)
    assert settle(after, at, LONDON, AGING) is after


def assert_touched(after: Lead, actor: Actor, kind: TouchKind, at: DateTime = LATER) -> None:
    assert (after.last_touch_at, after.last_touch_by, after.last_touch_kind) == (
        at,
        actor.staff_id,
        kind,
    )


# add ------------------------------------------------------------------------------------------


def test_a_new_lead_is_owned_by_its_creator_and_not_scheduled(
    office_admin: Actor, policy: Policy
) -> None:
    change = add_lead(office_admin, policy, contact=" 020 7946 0000 ")
    lead = change.after
    assert (lead.name, lead.contact, lead.owner, lead.status, lead.version) == (
        "Acme Ltd",
        "020 7946 0000",
        office_admin.staff_id,
        S.NOT_SCHEDULED,
        1,
    )
    assert (change.before, change.command, change.actor) == (None, "add", office_admin.staff_id)
    assert_touched(lead, office_admin, TouchKind.ADD, NOW)
    assert (lead.created_by, lead.created_at, lead.archived) == (office_admin.staff_id, NOW, False)


def test_a_new_lead_with_a_follow_up_is_scheduled(office_admin: Actor, policy: Policy) -> None:
    lead = add_lead(office_admin, policy, follow_up_at=NOW.add(days=1)).after
    assert (lead.status, lead.follow_up_at) == (S.SCHEDULED, NOW.add(days=1))


def test_a_new_lead_may_go_straight_to_a_colleague(
    office_admin: Actor, policy: Policy, bob_staff: Staff
) -> None:
    lead = add_lead(office_admin, policy, assignee=bob_staff).after
    assert (lead.owner, lead.created_by) == (bob_staff.id, office_admin.staff_id)


def test_a_new_lead_for_another_organisations_staff_is_not_found(
    office_admin: Actor, policy: Policy
) -> None:
    stranger = make_staff("eve", "school_admin", org="elsewhere")
    with pytest.raises(NotFound) as e:
        add_lead(office_admin, policy, assignee=stranger)
    assert (e.value.kind, e.value.id) == ("staff", "eve")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": None}, "name"),
        ({"contact": "x" * 201}, "contact"),
        ({"lead_id": ""}, "lead_id"),
        ({"follow_up_at": NOW}, "follow_up_at"),
        ({"follow_up_at": NOW.subtract(seconds=1)}, "follow_up_at"),
        ({"follow_up_at": NOW.add(days=1).naive()}, "follow_up_at"),
        ({"now": NOW.naive()}, "now"),
        ({"timezone": "Nowhere/Atlantis"}, "timezone"),
        ({"aging": Policy.default()}, "aging"),
        ({"policy": AGING}, "policy"),
    ],
)
def test_add_refuses_bad_input(
    office_admin: Actor, policy: Policy, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        add_lead(office_admin, policy, **fields)
    assert e.value.field == field


# schedule -------------------------------------------------------------------------------------


def test_the_owner_schedules_a_missed_lead(office_admin: Actor, policy: Policy) -> None:
    lead = lead_in(S.MISSED)
    at = LATER.add(days=2)
    change = commands.schedule(lead, office_admin, LATER, LONDON, policy, aging=AGING, at=at)
    assert (change.after.status, change.after.follow_up_at) == (S.SCHEDULED, at)
    assert_touched(change.after, office_admin, TouchKind.SCHEDULE)
    assert_one_step(lead, change)


def test_only_the_owner_schedules(other_office_admin: Actor, policy: Policy) -> None:
    with pytest.raises(LockedByOther) as e:
        commands.schedule(
            lead_in(S.PAST_DUE),
            other_office_admin,
            LATER,
            LONDON,
            policy,
            aging=AGING,
            at=LATER.add(days=1),
        )
    assert (e.value.owner, e.value.kind, e.value.command) == ("alice", "lead", "schedule")


@pytest.mark.parametrize("at", [LATER, LATER.subtract(days=1)])
def test_a_follow_up_must_be_in_the_future(
    office_admin: Actor, policy: Policy, at: DateTime
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.schedule(
            lead_in(S.MISSED), office_admin, LATER, LONDON, policy, aging=AGING, at=at
        )
    assert e.value.field == "at"


def test_an_available_lead_must_be_claimed_before_it_is_scheduled(
    office_admin: Actor, policy: Policy
) -> None:
    # Stored as alice's and past due, but by now it has gone to the lead bank.
    stale = attrs.evolve(lead_in(S.AVAILABLE), status=S.PAST_DUE)
    with pytest.raises(InvalidTransition) as e:
        commands.schedule(
            stale, office_admin, LATER, LONDON, policy, aging=AGING, at=LATER.add(days=1)
        )
    assert e.value.status == "AVAILABLE"


# touch ----------------------------------------------------------------------------------------


def test_a_colleagues_call_restarts_the_owners_clock(
    other_office_admin: Actor, policy: Policy
) -> None:
    lead = lead_in(S.PAST_DUE)
    change = commands.touch(
        lead, other_office_admin, LATER, LONDON, policy, aging=AGING, kind="email", note="Sent"
    )
    assert (change.after.status, change.after.owner) == (S.NOT_SCHEDULED, StaffId("alice"))
    assert_touched(change.after, other_office_admin, TouchKind.EMAIL)
    assert_one_step(lead, change)


def test_a_touched_missed_lead_still_waits_to_be_rescheduled(
    office_admin: Actor, policy: Policy
) -> None:
    lead = lead_in(S.MISSED)
    after = commands.touch(lead, office_admin, LATER, LONDON, policy, aging=AGING).after
    assert (after.status, after.last_touch_kind) == (S.MISSED, TouchKind.CALL)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "claim"}, "kind"),
        ({"kind": "pigeon"}, "kind"),
        ({"note": "x" * 2001}, "note"),
        ({"note": 42}, "note"),
    ],
)
def test_touch_refuses_bad_kinds_and_notes(
    office_admin: Actor, policy: Policy, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        commands.touch(
            lead_in(S.PAST_DUE), office_admin, LATER, LONDON, policy, aging=AGING, **fields
        )  # type: ignore[arg-type]
    assert e.value.field == field


def test_a_note_is_trimmed_and_may_be_empty() -> None:
    assert commands.validate_note("  Called back  ") == "Called back"
    assert commands.validate_note("") == ""


# claim ----------------------------------------------------------------------------------------


def test_a_colleague_claims_an_abandoned_lead(other_office_admin: Actor, policy: Policy) -> None:
    lead = lead_in(S.ABANDONED)
    change = commands.claim(lead, other_office_admin, LATER, LONDON, policy, aging=AGING)
    assert (change.after.owner, change.after.status) == (
        other_office_admin.staff_id,
        S.NOT_SCHEDULED,
    )
    assert_touched(change.after, other_office_admin, TouchKind.CLAIM)
    assert_one_step(lead, change)


def test_the_second_of_two_claimers_is_told_who_won(
    office_admin: Actor, other_office_admin: Actor, school_admin: Actor, policy: Policy
) -> None:
    lead = lead_in(S.AVAILABLE, owner=None)
    won = commands.claim(lead, other_office_admin, LATER, LONDON, policy, aging=AGING).after
    with pytest.raises(LockedByOther) as e:
        commands.claim(won, school_admin, LATER, LONDON, policy, aging=AGING)
    assert (e.value.owner, e.value.kind) == (other_office_admin.staff_id, "lead")


def test_change_before_is_the_lead_as_of_now(other_office_admin: Actor, policy: Policy) -> None:
    stale = attrs.evolve(lead_in(S.AVAILABLE), status=S.PAST_DUE, version=3)
    change = commands.claim(stale, other_office_admin, LATER, LONDON, policy, aging=AGING)
    assert change.before is not None
    assert (change.before.status, change.before.owner, change.before.version) == (
        S.AVAILABLE,
        None,
        3,
    )
    assert change.after.version == 4


# assign ---------------------------------------------------------------------------------------


def test_the_owner_assigns_to_a_colleague(
    office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    lead = lead_in(S.SCHEDULED)
    change = commands.assign(
        lead, office_admin, LATER, LONDON, policy, aging=AGING, assignee=bob_staff
    )
    assert (change.after.owner, change.after.status) == (bob_staff.id, S.SCHEDULED)
    assert_touched(change.after, office_admin, TouchKind.ASSIGN)
    assert_one_step(lead, change)


def test_a_school_admin_reassigns_an_office_admins_lead(
    school_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    after = commands.assign(
        lead_in(S.PAST_DUE),
        school_admin,
        LATER,
        LONDON,
        policy,
        aging=AGING,
        assignee=bob_staff,
        owner_role="office_admin",
    ).after
    assert after.owner == bob_staff.id


def test_an_equal_colleague_cannot_reassign_a_lead(
    other_office_admin: Actor, bob_staff: Staff, policy: Policy
) -> None:
    with pytest.raises(LockedByOther):
        commands.assign(
            lead_in(S.PAST_DUE),
            other_office_admin,
            LATER,
            LONDON,
            policy,
            aging=AGING,
            assignee=bob_staff,
            owner_role="office_admin",
        )


def test_assigning_to_another_organisations_staff_is_not_found(
    office_admin: Actor, policy: Policy
) -> None:
    stranger = make_staff("eve", "school_admin", org="elsewhere")
    with pytest.raises(NotFound) as e:
        commands.assign(
            lead_in(S.PAST_DUE), office_admin, LATER, LONDON, policy, aging=AGING, assignee=stranger
        )
    assert e.value.kind == "staff"


# archive and reactivate ---------------------------------------------------------------------


def test_the_owner_archives_a_lost_lead_and_it_never_ages(
    office_admin: Actor, policy: Policy
) -> None:
    lead = lead_in(S.PAST_DUE)
    change = commands.archive(
        lead,
        office_admin,
        LATER,
        LONDON,
        policy,
        aging=AGING,
        reason="lost",
        note=" Went elsewhere ",
    )
    after = change.after
    assert (after.status, after.archived_reason, after.archive_note, after.owner) == (
        S.ARCHIVED,
        ArchiveReason.LOST,
        "Went elsewhere",
        StaffId("alice"),
    )
    assert after.last_touch_at == lead.last_touch_at  # archiving is not a touch
    assert age(after, LATER.add(years=3), LONDON, AGING) is S.ARCHIVED
    assert_one_step(lead, change)


@pytest.mark.parametrize(
    ("fields", "field"), [({"reason": "bored"}, "reason"), ({"note": "x" * 2001}, "archive_note")]
)
def test_archive_refuses_unknown_reasons_and_long_notes(
    office_admin: Actor, policy: Policy, fields: dict[str, object], field: str
) -> None:
    arguments = {"reason": ArchiveReason.DO_NOT_CONTACT, **fields}
    with pytest.raises(ValidationError) as e:
        commands.archive(
            lead_in(S.PAST_DUE), office_admin, LATER, LONDON, policy, aging=AGING, **arguments
        )  # type: ignore[arg-type]
    assert e.value.field == field


def test_a_school_admin_reactivates_an_archived_lead_unscheduled(
    school_admin: Actor, policy: Policy
) -> None:
    lead = attrs.evolve(
        lead_in(S.ARCHIVED), follow_up_at=NOW.add(days=1), archive_note="Moved away"
    )
    change = commands.reactivate(lead, school_admin, LATER, LONDON, policy, aging=AGING)
    after = change.after
    assert (after.status, after.owner, after.archived_reason, after.archive_note) == (
        S.NOT_SCHEDULED,
        school_admin.staff_id,
        None,
        "",
    )
    assert after.follow_up_at is None
    assert_touched(after, school_admin, TouchKind.REACTIVATE)
    assert_one_step(lead, change)


def test_an_office_admin_may_not_reactivate(office_admin: Actor, policy: Policy) -> None:
    with pytest.raises(PermissionDenied):
        commands.reactivate(lead_in(S.ARCHIVED), office_admin, LATER, LONDON, policy, aging=AGING)


# the sweep ------------------------------------------------------------------------------------


CUTOFFS_NOW = aging_cutoffs(NOW, LONDON, AGING)


def test_the_sweep_records_what_the_clock_did_once() -> None:
    # Stored when it was abandoned, still alice's; by now it is ten days untouched.
    lead = attrs.evolve(lead_in(S.AVAILABLE), status=S.ABANDONED)
    change = commands.age_change(lead, NOW, LONDON, AGING)
    assert change is not None
    assert (change.command, change.actor, change.before, change.at) == ("age", None, lead, NOW)
    assert (change.after.status, change.after.owner, change.after.version) == (S.AVAILABLE, None, 2)
    assert change.after.updated_at == NOW
    assert commands.age_change(change.after, NOW, LONDON, AGING) is None
    assert commands.sweep_change(lead, CUTOFFS_NOW) == change
    assert commands.sweep_change(change.after, CUTOFFS_NOW) is None


def test_the_sweep_leaves_an_up_to_date_lead_alone() -> None:
    assert commands.age_change(lead_in(S.PAST_DUE), NOW, LONDON, AGING) is None
    assert commands.sweep_change(lead_in(S.PAST_DUE), CUTOFFS_NOW) is None


def test_the_sweep_leaves_a_lead_written_after_its_instant_alone() -> None:
    # Stale by its facts, but written after the clock was read: newer than the sweep knows.
    stale = attrs.evolve(lead_in(S.AVAILABLE), status=S.ABANDONED, updated_at=NOW.add(seconds=1))
    assert commands.age_change(stale, NOW, LONDON, AGING) is None
    assert commands.sweep_change(stale, CUTOFFS_NOW) is None
    assert commands.age_change(stale, NOW.add(seconds=1), LONDON, AGING) is not None


# every command, anywhere: the table's targets hold ------------------------------------------

PEOPLE = {
    "alice": make_staff("alice", "office_admin"),
    "bob": make_staff("bob", "office_admin"),
    "hana": make_staff("hana", "school_admin"),
}
Call = Callable[[Lead, Actor, DateTime, AgingPolicy], Change[Lead]]
CALLS: dict[LeadCommand, Call] = {
    LeadCommand.SCHEDULE: lambda lead, actor, now, aging: commands.schedule(
        lead, actor, now, LONDON, Policy.default(), aging=aging, at=now.add(days=1)
    ),
    LeadCommand.TOUCH: lambda lead, actor, now, aging: commands.touch(
        lead, actor, now, LONDON, Policy.default(), aging=aging
    ),
    LeadCommand.CLAIM: lambda lead, actor, now, aging: commands.claim(
        lead, actor, now, LONDON, Policy.default(), aging=aging
    ),
    LeadCommand.ASSIGN: lambda lead, actor, now, aging: commands.assign(
        lead,
        actor,
        now,
        LONDON,
        Policy.default(),
        aging=aging,
        assignee=PEOPLE["bob"],
        owner_role="office_admin",
    ),
    LeadCommand.ARCHIVE: lambda lead, actor, now, aging: commands.archive(
        lead,
        actor,
        now,
        LONDON,
        Policy.default(),
        aging=aging,
        reason="lost",
        owner_role="office_admin",
    ),
    LeadCommand.REACTIVATE: lambda lead, actor, now, aging: commands.reactivate(
        lead, actor, now, LONDON, Policy.default(), aging=aging
    ),
}


@given(
    status=st.sampled_from(LeadStatus),
    command=st.sampled_from(sorted(CALLS)),
    actor=st.sampled_from(sorted(PEOPLE)),
    hours=st.integers(0, 400),
    aging=aging_policies(),
)
def test_a_command_lands_in_its_rows_targets(
    status: LeadStatus, command: LeadCommand, actor: str, hours: int, aging: AgingPolicy
) -> None:
    lead = lead_in(status)
    now = NOW.add(hours=hours)
    try:
        change = CALLS[command](lead, Actor.of(PEOPLE[actor]), now, aging)
    except ContactLogError:
        return
    rule = lead_rule_for(command)
    assert settle(lead, now, LONDON, aging).status in rule.sources
    assert change.after.status in rule.targets
    assert change.after.status is age(change.after, now, LONDON, aging)
    assert change.after.version == lead.version + 1
    assert (change.after.last_touch_at == now) is rule.restarts_clock
