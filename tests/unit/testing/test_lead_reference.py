"""The shipped lead reference model agrees with the lead table, and with the library's day counting.

``LeadMachine`` compares the library with the reference model; this test
ties the reference model to ``LEAD_RULES`` (who may, owner after, restarts
the clock, targets) and to ``authorise_lead``'s error classes, for every
command, status as of now, relation of the actor to the owner and
permission, so neither can drift on its own. Its day counting is checked
against ``aging`` wherever it says it is clear of DST changes.
"""

from __future__ import annotations

import doctest
import itertools

import attrs
import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pendulum import DateTime

from contactlog_core import Actor, ArchiveReason, ContactLogError, Lead, LeadStatus, Permission
from contactlog_core.domain.leads import aging
from contactlog_core.domain.leads.model import LeadCommand
from contactlog_core.domain.leads.rules import (
    LEAD_RULES,
    LeadOwnerAfter,
    LeadRule,
    LeadWho,
    authorise_lead,
    lead_rule_for,
)
from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.testing import lead_reference
from contactlog_core.testing.lead_reference import (
    RefLead,
    clear_of_dst_changes,
    ref_add,
    ref_deadlines,
    ref_outcome,
    ref_owner,
    ref_status,
)
from tests.support.lead_seeds import aging_policies, instants, make_lead, zones
from tests.support.seeds import make_staff

S = LeadStatus
LONDON = "Europe/London"
AGING = AgingPolicy()
NOW = pendulum.datetime(2026, 6, 10, 10, tz="UTC")  # far from any DST change
ROLES = Policy.default().roles
PEOPLE = {
    "ann": make_staff("ann", "office_admin"),
    "ben": make_staff("ben", "office_admin"),
    "cat": make_staff("cat", "school_admin"),
}
RANKS = {name: {r.name: r.rank for r in ROLES}[p.role] for name, p in PEOPLE.items()}
# Who acts, and who owns the lead: the actor's relation to the owner.
RELATIONS = {
    "owner": ("ann", "ann"),
    "other": ("ann", "ben"),
    "outranking": ("cat", "ann"),
    "outranked": ("ann", "cat"),
    "no owner": ("ann", None),
}
STAFF_COMMANDS = [c for c in LeadCommand if c not in (LeadCommand.ADD, LeadCommand.AGE)]
ASSIGNEE = "ben"
AT = NOW.add(days=2)


def facts(status: LeadStatus, owner: str | None) -> RefLead:
    """A lead that, by the reference, has ``status`` at ``NOW``."""
    hours = {S.NOT_SCHEDULED: 1, S.PAST_DUE: 60, S.ABANDONED: 96, S.AVAILABLE: 240, S.ARCHIVED: 1}
    if status is S.SCHEDULED:
        return RefLead(owner, NOW.add(days=1), NOW.subtract(hours=1))
    if status is S.MISSED:
        return RefLead(owner, NOW.subtract(hours=1), NOW.subtract(days=1))
    lead = RefLead(owner, None, NOW.subtract(hours=hours[status]), archived=status is S.ARCHIVED)
    assert ref_status(lead, NOW, LONDON, AGING) is status
    return lead


def as_library_lead(lead: RefLead, status: LeadStatus, owner: str | None) -> Lead:
    """The same facts as the library's settled ``Lead``."""
    return make_lead(
        owner=owner,
        follow_up_at=lead.follow_up_at,
        last_touch_at=lead.last_touch_at,
        archived_reason=ArchiveReason.LOST if lead.archived else None,
        status=status,
    )


def relation_now(status: LeadStatus, relation: str) -> str:
    # An available lead has no owner any more, whoever last held it.
    return "no owner" if status is S.AVAILABLE else relation


def table_allows(rule: LeadRule, status: LeadStatus, relation: str, permitted: bool) -> bool:
    """The table's answer, read from its data: the source status, then who may."""
    who = {
        LeadWho.STAFF: True,
        LeadWho.OWNER: relation == "owner",
        LeadWho.OWNER_OR_OUTRANKS: relation in ("owner", "no owner", "outranking"),
        LeadWho.PERMISSION: permitted,
    }[rule.who]
    return status in rule.sources and who


CASES = list(itertools.product(STAFF_COMMANDS, LeadStatus, RELATIONS, [True, False]))


@pytest.mark.parametrize(("command", "status", "relation", "permitted"), CASES)
def test_reference_model_agrees_with_the_table(
    command: LeadCommand, status: LeadStatus, relation: str, permitted: bool
) -> None:
    actor, owner = RELATIONS[relation]
    lead = facts(status, owner)
    now_owner = ref_owner(lead, NOW, LONDON, AGING)
    outcome = ref_outcome(
        command,
        lead,
        actor,
        now=NOW,
        zone=LONDON,
        policy=AGING,
        ranks=RANKS,
        may_reactivate=permitted,
        assignee=ASSIGNEE,
        at=AT,
    )
    rule = lead_rule_for(command)
    allowed = table_allows(rule, status, relation_now(status, relation), permitted)
    assert isinstance(outcome, RefLead) is allowed
    grants = {Permission.REACTIVATE_LEAD: frozenset({PEOPLE[actor].role} if permitted else ())}
    policy = Policy(roles=ROLES, grants=grants)
    library_lead = as_library_lead(lead, status, now_owner)
    owner_role = PEOPLE[now_owner].role if now_owner else None
    me = Actor.of(PEOPLE[actor])
    if isinstance(outcome, RefLead):
        assert authorise_lead(library_lead, command, me, policy, owner_role) is rule
        assert outcome.owner == owner_after(rule, actor, now_owner)
        assert (outcome.last_touch_at == NOW) is rule.restarts_clock
        assert ref_status(outcome, NOW, LONDON, AGING) in rule.targets
    else:
        with pytest.raises(ContactLogError) as refused:
            authorise_lead(library_lead, command, me, policy, owner_role)
        assert type(refused.value) is outcome


def owner_after(rule: LeadRule, actor: str, owner: str | None) -> str | None:
    return {
        LeadOwnerAfter.ACTOR: actor,
        LeadOwnerAfter.ASSIGNEE: ASSIGNEE,
        LeadOwnerAfter.ASSIGNEE_OR_ACTOR: ASSIGNEE,
        LeadOwnerAfter.UNCHANGED: owner,
    }[rule.owner_after]


def test_every_status_and_relation_is_covered() -> None:
    assert {c[0] for c in CASES} | {LeadCommand.ADD} == {r.command for r in LEAD_RULES}
    assert {c[1] for c in CASES} == set(LeadStatus)


@pytest.mark.parametrize(("assignee", "follow_up"), [(None, None), ("ben", AT), ("ann", None)])
def test_a_new_lead_is_the_assignees_else_the_creators(
    assignee: str | None, follow_up: DateTime | None
) -> None:
    rule = lead_rule_for(LeadCommand.ADD)
    lead = ref_add("ann", NOW, assignee=assignee, follow_up_at=follow_up)
    assert rule.owner_after is LeadOwnerAfter.ASSIGNEE_OR_ACTOR
    assert lead.owner == (assignee or "ann")
    assert lead.last_touch_at == NOW
    assert ref_status(lead, NOW, LONDON, AGING) in rule.targets


def test_the_reference_model_refuses_a_command_it_does_not_know() -> None:
    lead = facts(S.NOT_SCHEDULED, "ann")
    with pytest.raises(ValueError, match="no command"):
        ref_outcome(
            "shout",
            lead,
            "ann",
            now=NOW,
            zone=LONDON,
            policy=AGING,
            ranks=RANKS,
            may_reactivate=True,
        )


def test_the_module_example_runs() -> None:
    assert doctest.testmod(lead_reference, raise_on_error=True).failed == 0


# Days and DST ----------------------------------------------------------------------------------


def test_an_instant_near_a_dst_change_is_not_clear() -> None:
    in_the_repeated_hour = pendulum.datetime(2026, 10, 25, 1, 30, tz="UTC")
    two_days_before_the_skipped_hour = pendulum.datetime(2026, 3, 27, 1, 30, tz=LONDON)
    assert not clear_of_dst_changes(in_the_repeated_hour, LONDON, AGING)
    assert not clear_of_dst_changes(two_days_before_the_skipped_hour, LONDON, AGING)
    assert clear_of_dst_changes(two_days_before_the_skipped_hour.add(hours=1), LONDON, AGING)
    assert clear_of_dst_changes(NOW, LONDON, AGING)


def test_two_calendar_days_across_the_spring_change_are_47_hours() -> None:
    touched = pendulum.datetime(2026, 3, 28, 10, tz=LONDON)
    lead = RefLead("ann", None, touched)
    assert ref_status(lead, touched.add(hours=46, minutes=59), LONDON, AGING) is S.NOT_SCHEDULED
    assert ref_status(lead, touched.add(hours=47), LONDON, AGING) is S.PAST_DUE


@given(zone=zones(), policy=aging_policies(), data=st.data())
def test_the_reference_counts_days_as_the_library_does_away_from_dst_changes(
    zone: str, policy: AgingPolicy, data: st.DataObject
) -> None:
    start = data.draw(instants(zone))
    assume(clear_of_dst_changes(start, zone, policy))
    lead = make_lead(last_touch_at=start)
    due = aging.deadlines(lead, start, zone, policy)
    assert due is not None
    expected = ref_deadlines(RefLead("alice", None, start), start, zone, policy)
    assert expected == (due.past_due_at, due.abandoned_at, due.available_at)


@given(zone=zones(), policy=aging_policies(), data=st.data())
def test_the_reference_status_is_the_librarys_away_from_dst_changes(
    zone: str, policy: AgingPolicy, data: st.DataObject
) -> None:
    now = data.draw(instants(zone))
    hours = st.integers(-24 * 20, 24 * 3)
    touched = now.add(hours=data.draw(hours))
    follow_up = data.draw(st.none() | hours.map(lambda h: now.add(hours=h)))
    lead = RefLead("alice", follow_up, touched, archived=data.draw(st.booleans()))
    anchor = touched if follow_up is None or follow_up > now else max(touched, follow_up)
    assume(clear_of_dst_changes(anchor, zone, policy))
    library = attrs.evolve(
        make_lead(last_touch_at=touched, follow_up_at=follow_up),
        archived_reason=ArchiveReason.LOST if lead.archived else None,
    )
    assert ref_status(lead, now, zone, policy) is aging.age(library, now, zone, policy)
