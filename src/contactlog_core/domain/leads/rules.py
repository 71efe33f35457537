"""The lead table of docs/rules.md ("Sales leads"), as data, and the one check that reads it.

``LEAD_RULES`` says who may run which command from which status;
``AGING_EDGES`` says how the clock moves a lead on its own. The commands,
the docs diagram and the tests all read these two tables.

Sources are statuses *as of now*: pass ``authorise_lead`` a lead that
``aging.settle`` has brought up to date, never a stale stored status.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import attrs

from contactlog_core.domain.leads.model import Lead, LeadCommand, LeadStatus
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.policy import Permission, Policy
from contactlog_core.domain.shared.rule_tables import anyone, edge_label, permitted, state_diagram
from contactlog_core.errors import InvalidTransition, LockedByOther, NotFound, ValidationError

__all__ = [
    "AGING_EDGES",
    "LEAD_RULES",
    "AgingEdge",
    "LeadOwnerAfter",
    "LeadRule",
    "LeadWho",
    "authorise_lead",
    "lead_mermaid_diagram",
    "lead_rule_for",
]


class LeadWho(StrEnum):
    """Who may run a lead command."""

    STAFF = "any staff member"
    OWNER = "owner only"
    OWNER_OR_OUTRANKS = "the owner, or who outranks the owner"
    PERMISSION = "a permission"


class LeadOwnerAfter(StrEnum):
    """Who owns the lead once the command has run."""

    ACTOR = "actor"
    ASSIGNEE = "assignee"
    ASSIGNEE_OR_ACTOR = "assignee, else actor"
    UNCHANGED = "unchanged"


@attrs.frozen
class LeadRule:
    """One row: ``command`` by ``who`` from any of ``sources``.

    ``targets`` are the statuses the lead can have right after the command
    (the clock decides which); ``restarts_clock`` says whether the command
    counts as a touch (so "untouched" starts again from it).
    """

    command: LeadCommand
    sources: frozenset[LeadStatus]
    who: LeadWho
    owner_after: LeadOwnerAfter
    restarts_clock: bool
    permission: Permission | None
    targets: frozenset[LeadStatus]


@attrs.frozen
class AgingEdge:
    """The clock moves a lead from ``source`` to ``target`` when ``trigger`` happens."""

    source: LeadStatus
    target: LeadStatus
    trigger: str


S = LeadStatus
_WORKABLE = {S.NOT_SCHEDULED, S.SCHEDULED, S.MISSED, S.PAST_DUE, S.ABANDONED}
_LIVE = {*_WORKABLE, S.AVAILABLE}
_RESTARTED = {S.NOT_SCHEDULED, S.SCHEDULED, S.MISSED}


def _row(
    command: LeadCommand,
    sources: set[LeadStatus],
    who: LeadWho,
    owner_after: LeadOwnerAfter,
    restarts_clock: bool,
    targets: set[LeadStatus],
    permission: Permission | None = None,
) -> LeadRule:
    return LeadRule(
        command,
        frozenset(sources),
        who,
        owner_after,
        restarts_clock,
        permission,
        frozenset(targets),
    )


C, W, A = LeadCommand, LeadWho, LeadOwnerAfter
LEAD_RULES: tuple[LeadRule, ...] = (
    _row(C.ADD, set(), W.STAFF, A.ASSIGNEE_OR_ACTOR, True, {S.NOT_SCHEDULED, S.SCHEDULED}),
    _row(C.SCHEDULE, _WORKABLE, W.OWNER, A.UNCHANGED, True, {S.SCHEDULED}),
    # Anyone may log a call on a colleague's lead: it restarts the owner's clock.
    _row(C.TOUCH, _WORKABLE, W.STAFF, A.UNCHANGED, True, _RESTARTED),
    # A claimable lead has no follow-up ahead, so a claim never makes it SCHEDULED.
    _row(C.CLAIM, {S.ABANDONED, S.AVAILABLE}, W.STAFF, A.ACTOR, True, _RESTARTED - {S.SCHEDULED}),
    _row(C.ASSIGN, _LIVE, W.OWNER_OR_OUTRANKS, A.ASSIGNEE, True, _RESTARTED),
    _row(C.ARCHIVE, _LIVE, W.OWNER_OR_OUTRANKS, A.UNCHANGED, False, {S.ARCHIVED}),
    _row(
        C.REACTIVATE,
        {S.ARCHIVED},
        W.PERMISSION,
        A.ACTOR,
        True,
        {S.NOT_SCHEDULED},
        Permission.REACTIVATE_LEAD,
    ),
)
"""The lead table of docs/rules.md ("Sales leads"), one ``LeadRule`` per staff command."""

AGING_EDGES: tuple[AgingEdge, ...] = (
    AgingEdge(S.SCHEDULED, S.MISSED, "follow-up date passes"),
    AgingEdge(S.NOT_SCHEDULED, S.PAST_DUE, "past_due_after days untouched"),
    AgingEdge(S.MISSED, S.PAST_DUE, "past_due_after days untouched"),
    AgingEdge(S.PAST_DUE, S.ABANDONED, "abandoned_after days untouched"),
    AgingEdge(S.ABANDONED, S.AVAILABLE, "available_after more days, owner cleared"),
)
"""What the clock does on its own (a late sweep may take several edges at once)."""
del S, C, W, A

_BY_COMMAND = {rule.command: rule for rule in LEAD_RULES}


def lead_rule_for(command: LeadCommand | str) -> LeadRule:
    """The row for ``command``; ``AGE`` has none, it is the clock's, not a staff command."""
    chosen = check.choice(command, LeadCommand, "command")
    if chosen not in _BY_COMMAND:
        raise ValidationError("command", f"{chosen} is the sweep's own change, not a staff command")
    return _BY_COMMAND[chosen]


def authorise_lead(
    lead: Lead,
    command: LeadCommand | str,
    actor: Actor,
    policy: Policy,
    owner_role: str | None = None,
) -> LeadRule:
    """Return the rule that lets ``actor`` run ``command`` on a settled ``lead``, or raise why not.

    ``owner_role`` is the current owner's role; only outranking needs it.
    Another organisation's lead does not exist for the actor (``NotFound``);
    a lead refused because a colleague owns it raises ``LockedByOther``
    naming them, also to a claimer who lost the race for it.
    """
    if actor.org_id != lead.org_id:
        raise NotFound("lead", lead.id)
    rule = lead_rule_for(command)
    if lead.status not in rule.sources:
        if rule.command is LeadCommand.CLAIM and _claimed_by_other(lead, actor):
            raise _locked(lead, rule)
        raise InvalidTransition(lead.status, rule.command, lead.id)
    _WHO_CHECKS[rule.who](lead, rule, actor, policy, owner_role)
    return rule


def _claimed_by_other(lead: Lead, actor: Actor) -> bool:
    # An archived lead is refused for being archived, whoever last owned it.
    return lead.status is not LeadStatus.ARCHIVED and _owned_by_other(lead, actor)


def _owned_by_other(lead: Lead, actor: Actor) -> bool:
    return lead.owner is not None and lead.owner != actor.staff_id


def _locked(lead: Lead, rule: LeadRule) -> LockedByOther:
    return LockedByOther(lead.id, str(lead.owner), rule.command, kind="lead")


def _owner_only(
    lead: Lead, rule: LeadRule, actor: Actor, policy: Policy, owner: str | None
) -> None:
    if lead.owner is None:
        raise InvalidTransition(f"{lead.status} (no owner)", rule.command, lead.id)
    if lead.owner != actor.staff_id:
        raise _locked(lead, rule)


def _owner_or_outranks(
    lead: Lead, rule: LeadRule, actor: Actor, policy: Policy, owner_role: str | None
) -> None:
    if not _owned_by_other(lead, actor):
        return
    if owner_role is None or not policy.outranks(actor.role, owner_role):
        raise _locked(lead, rule)


_Check = Callable[[Lead, LeadRule, Actor, Policy, "str | None"], None]
_WHO_CHECKS: dict[LeadWho, _Check] = {
    LeadWho.STAFF: anyone,
    LeadWho.OWNER: _owner_only,
    LeadWho.OWNER_OR_OUTRANKS: _owner_or_outranks,
    LeadWho.PERMISSION: permitted,
}


def lead_mermaid_diagram() -> str:
    """The lead table and the aging edges as a Mermaid state diagram (the docs embed this text)."""
    commands = [
        (source, target, edge_label(rule.command, rule.who, rule.permission))
        for rule in LEAD_RULES
        for source in [str(s) for s in LeadStatus if s in rule.sources] or ["[*]"]
        for target in [str(s) for s in LeadStatus if s in rule.targets]
    ]
    aging = [(str(e.source), str(e.target), e.trigger) for e in AGING_EDGES]
    return state_diagram(commands + aging)
