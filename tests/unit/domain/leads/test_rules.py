"""Each row of the lead table (docs/rules.md, "Sales leads"), allowed and refused, and the diagram drawn from it.

The expectations below are written from the rules' prose, not from
``LEAD_RULES``, so that the table and the prose cannot drift apart unnoticed.
"""

from __future__ import annotations

import itertools

import pytest

from contactlog_core import (
    Actor,
    ContactLogError,
    InvalidTransition,
    LockedByOther,
    NotFound,
    PermissionDenied,
    Policy,
    ValidationError,
)
from contactlog_core.domain.leads.model import LeadCommand, LeadStatus
from contactlog_core.domain.leads.rules import (
    AGING_EDGES,
    LEAD_RULES,
    LeadOwnerAfter,
    LeadWho,
    authorise_lead,
    lead_mermaid_diagram,
    lead_rule_for,
)
from tests.support.lead_seeds import lead_in
from tests.support.seeds import make_staff

POLICY = Policy.default()
PEOPLE = {
    "alice": make_staff("alice", "office_admin"),
    "bob": make_staff("bob", "office_admin"),
    "hana": make_staff("hana", "school_admin"),
}
S = LeadStatus
WORKABLE = {S.NOT_SCHEDULED, S.SCHEDULED, S.MISSED, S.PAST_DUE, S.ABANDONED}
STAFF_COMMANDS = [c for c in LeadCommand if c not in (LeadCommand.ADD, LeadCommand.AGE)]


def expected(command: LeadCommand, status: LeadStatus, owner: str | None, actor: str) -> type:
    """What docs/rules.md ("Sales leads") say happens: ``object`` for allowed, else the error's type."""
    mine = owner in (None, actor)
    outranks = owner is not None and POLICY.outranks(PEOPLE[actor].role, PEOPLE[owner].role)
    if command is LeadCommand.REACTIVATE:
        if status is not S.ARCHIVED:
            return InvalidTransition
        return object if PEOPLE[actor].role == "school_admin" else PermissionDenied
    if status is S.ARCHIVED:
        return InvalidTransition
    if command is LeadCommand.CLAIM:
        if status in (S.ABANDONED, S.AVAILABLE):
            return object
        return InvalidTransition if mine else LockedByOther
    if command in (LeadCommand.ASSIGN, LeadCommand.ARCHIVE):
        return object if mine or outranks else LockedByOther
    if status is S.AVAILABLE:
        return InvalidTransition
    if command is LeadCommand.SCHEDULE:
        return object if owner == actor else LockedByOther
    return object  # TOUCH: anyone


def _owners(status: LeadStatus) -> list[str | None]:
    if status is S.AVAILABLE:
        return [None]
    owners: list[str | None] = ["alice", "hana"]
    return [*owners, None] if status is S.ARCHIVED else owners


CASES = [
    (command, status, owner, actor)
    for status in LeadStatus
    for owner in _owners(status)
    for command, actor in itertools.product(STAFF_COMMANDS, PEOPLE)
]


@pytest.mark.parametrize(("command", "status", "owner", "actor"), CASES)
def test_every_row_allows_and_refuses_as_designed(
    command: LeadCommand, status: LeadStatus, owner: str | None, actor: str
) -> None:
    lead = lead_in(status, owner)
    me = Actor.of(PEOPLE[actor])
    owner_role = PEOPLE[owner].role if owner else None
    outcome = expected(command, status, owner, actor)
    if outcome is object:
        rule = authorise_lead(lead, command, me, POLICY, owner_role)
        assert rule.command is command
        assert status in rule.sources
    else:
        with pytest.raises(ContactLogError) as refused:
            authorise_lead(lead, command, me, POLICY, owner_role)
        assert type(refused.value) is outcome


def test_every_staff_command_has_exactly_one_row() -> None:
    assert sorted(r.command for r in LEAD_RULES) == sorted([*STAFF_COMMANDS, LeadCommand.ADD])


def test_add_creates_a_lead_and_aging_is_not_a_staff_command() -> None:
    assert lead_rule_for("add").sources == frozenset()
    assert lead_rule_for(LeadCommand.ADD).owner_after is LeadOwnerAfter.ASSIGNEE_OR_ACTOR
    with pytest.raises(ValidationError) as e:
        lead_rule_for(LeadCommand.AGE)
    assert e.value.field == "command"
    with pytest.raises(ValidationError):
        lead_rule_for("shout")


def test_add_is_never_authorised_on_an_existing_lead() -> None:
    with pytest.raises(InvalidTransition):
        authorise_lead(lead_in(S.NOT_SCHEDULED), "add", Actor.of(PEOPLE["alice"]), POLICY)


def test_the_table_matches_design() -> None:
    rows = {r.command: r for r in LEAD_RULES}
    assert rows[LeadCommand.TOUCH].sources == WORKABLE
    assert rows[LeadCommand.SCHEDULE].who is LeadWho.OWNER
    assert rows[LeadCommand.CLAIM].sources == {S.ABANDONED, S.AVAILABLE}
    assert rows[LeadCommand.ASSIGN].sources == set(LeadStatus) - {S.ARCHIVED}
    assert rows[LeadCommand.REACTIVATE].permission == "reactivate_lead"
    restarting = {r.command for r in LEAD_RULES if r.restarts_clock}
    assert restarting == set(LeadCommand) - {LeadCommand.ARCHIVE, LeadCommand.AGE}


def test_a_claimer_who_lost_the_race_hears_who_won() -> None:
    won = lead_in(S.NOT_SCHEDULED, owner="bob")
    with pytest.raises(LockedByOther) as e:
        authorise_lead(won, LeadCommand.CLAIM, Actor.of(PEOPLE["alice"]), POLICY)
    assert (e.value.kind, e.value.owner, e.value.record_id, e.value.command) == (
        "lead",
        "bob",
        won.id,
        "claim",
    )
    assert "lead" in str(e.value)
    assert isinstance(e.value, PermissionError)


def test_claiming_your_own_lead_before_it_is_abandoned_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition) as e:
        authorise_lead(lead_in(S.PAST_DUE), LeadCommand.CLAIM, Actor.of(PEOPLE["alice"]), POLICY)
    assert (e.value.status, e.value.command) == ("PAST_DUE", "claim")


def test_an_archived_lead_is_refused_for_being_archived_whoever_owned_it() -> None:
    with pytest.raises(InvalidTransition) as e:
        authorise_lead(lead_in(S.ARCHIVED, "bob"), "claim", Actor.of(PEOPLE["alice"]), POLICY)
    assert e.value.status == "ARCHIVED"


def test_an_outranking_actor_needs_the_owners_role_to_prove_it() -> None:
    lead = lead_in(S.PAST_DUE, owner="alice")
    with pytest.raises(LockedByOther):
        authorise_lead(lead, LeadCommand.ASSIGN, Actor.of(PEOPLE["hana"]), POLICY)
    rule = authorise_lead(
        lead, LeadCommand.ASSIGN, Actor.of(PEOPLE["hana"]), POLICY, "office_admin"
    )
    assert rule.owner_after is LeadOwnerAfter.ASSIGNEE


def test_scheduling_a_lead_nobody_owns_is_an_invalid_transition() -> None:
    odd = lead_in(S.PAST_DUE, owner=None)  # only settling clears an owner, and only when available
    with pytest.raises(InvalidTransition) as e:
        authorise_lead(odd, LeadCommand.SCHEDULE, Actor.of(PEOPLE["alice"]), POLICY)
    assert "no owner" in e.value.status


def test_office_admin_may_not_reactivate() -> None:
    with pytest.raises(PermissionDenied) as e:
        authorise_lead(lead_in(S.ARCHIVED), "reactivate", Actor.of(PEOPLE["alice"]), POLICY)
    assert (e.value.permission, e.value.actor, e.value.command) == (
        "reactivate_lead",
        "alice",
        "reactivate",
    )


@pytest.mark.parametrize("command", STAFF_COMMANDS)
def test_another_organisations_lead_does_not_exist_for_the_actor(command: LeadCommand) -> None:
    outsider = Actor.of(make_staff("eve", "school_admin", org="elsewhere"))
    with pytest.raises(NotFound) as e:
        authorise_lead(lead_in(S.ABANDONED), command, outsider, POLICY)
    assert (e.value.kind, e.value.id) == ("lead", "lead-1")


# The diagram ---------------------------------------------------------------------------------


def test_the_diagram_shows_every_row_and_every_aging_edge() -> None:
    text = lead_mermaid_diagram()
    lines = text.splitlines()
    assert (lines[0], text[-1]) == ("stateDiagram-v2", "\n")
    assert "    [*] --> NOT_SCHEDULED: add (any staff member)" in lines
    assert "    [*] --> SCHEDULED: add (any staff member)" in lines
    assert "    ARCHIVED --> NOT_SCHEDULED: reactivate (reactivate_lead)" in lines
    assert "    ABANDONED --> AVAILABLE: available_after more days, owner cleared" in lines
    for rule in LEAD_RULES:
        for source, target in itertools.product(rule.sources or {"[*]"}, rule.targets):
            assert any(
                line.startswith(f"    {source} --> {target}: {rule.command} ") for line in lines
            )
    for edge in AGING_EDGES:
        assert f"    {edge.source} --> {edge.target}: {edge.trigger}" in lines


def test_every_status_appears_in_the_diagram() -> None:
    text = lead_mermaid_diagram()
    assert all(status.value in text for status in LeadStatus)
