"""The ownership table of docs/rules.md ("Contact logs"), as data, and the one check that reads it.

Transitions, the docs diagram and the test reference model all come back to
``OWNERSHIP_RULES``; change a rule here and everything follows (or a test
says what disagrees).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import attrs

from contactlog_core.domain.logs.model import ContactLog, LogCommand, LogStatus
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared.policy import Permission, Policy
from contactlog_core.domain.shared.rule_tables import anyone, edge_label, permitted, state_diagram
from contactlog_core.errors import InvalidTransition, LockedByOther, NotFound

__all__ = [
    "OWNERSHIP_RULES",
    "OwnerAfter",
    "Rule",
    "Who",
    "authorise",
    "mermaid_diagram",
    "rule_for",
]


class Who(StrEnum):
    """Who may run a command."""

    STAFF = "any staff member"
    OWNER = "owner only"
    COULD_LOCK = "whoever could lock it now"
    OUTRANKS_OWNER = "an actor who outranks the owner"
    PERMISSION = "a permission"


class OwnerAfter(StrEnum):
    """Who holds the log once the command has run."""

    ACTOR = "actor"
    NOBODY = "nobody"
    ASSIGNEE = "assignee"
    UNCHANGED = "unchanged"


@attrs.frozen
class Rule:
    """One row: ``command`` by ``who``, from any of ``sources`` to ``target``."""

    command: LogCommand
    sources: frozenset[LogStatus]
    target: LogStatus
    who: Who
    owner_after: OwnerAfter
    permission: Permission | None = None


_OPEN = LogStatus.OPEN
_HELD = LogStatus.IN_PROGRESS
_DONE = LogStatus.COMPLETED


def _row(
    command: LogCommand,
    sources: set[LogStatus],
    target: LogStatus,
    who: Who,
    owner_after: OwnerAfter,
    permission: Permission | None = None,
) -> Rule:
    return Rule(command, frozenset(sources), target, who, owner_after, permission)


C, W, A = LogCommand, Who, OwnerAfter
OWNERSHIP_RULES: tuple[Rule, ...] = (
    _row(C.RECORD, set(), _HELD, W.STAFF, A.ACTOR),
    _row(C.TAKE, {_OPEN}, _HELD, W.STAFF, A.ACTOR),
    _row(C.FORCE_TAKE, {_HELD}, _HELD, W.OUTRANKS_OWNER, A.ACTOR),
    _row(C.ASSIGN, {_OPEN, _HELD}, _HELD, W.COULD_LOCK, A.ASSIGNEE),
    _row(C.SURRENDER, {_HELD}, _OPEN, W.OWNER, A.NOBODY),
    _row(C.AMEND, {_HELD}, _HELD, W.OWNER, A.UNCHANGED),
    _row(C.ADD_FOLLOW_UP, {_HELD}, _HELD, W.OWNER, A.UNCHANGED),
    _row(C.RESCHEDULE_FOLLOW_UP, {_HELD}, _HELD, W.OWNER, A.UNCHANGED),
    _row(C.COMPLETE_FOLLOW_UP, {_HELD}, _HELD, W.OWNER, A.UNCHANGED),
    _row(C.COMPLETE, {_HELD}, _DONE, W.OWNER, A.NOBODY),
    _row(C.REOPEN, {_DONE}, _HELD, W.PERMISSION, A.ACTOR, Permission.REOPEN_LOG),
)
"""The ownership table of docs/rules.md ("Contact logs"), one ``Rule`` per command."""
del C, W, A

_BY_COMMAND = {rule.command: rule for rule in OWNERSHIP_RULES}


def rule_for(command: LogCommand) -> Rule:
    """The row for ``command``."""
    return _BY_COMMAND[command]


def authorise(
    log: ContactLog,
    command: LogCommand,
    actor: Actor,
    policy: Policy,
    holder_role: str | None = None,
) -> Rule:
    """Return the rule that lets ``actor`` run ``command`` on ``log``, or raise the precise error.

    ``holder_role`` is the current owner's role; only outranking needs it.
    Another organisation's log does not exist for the actor (``NotFound``).
    """
    if actor.org_id != log.org_id:
        raise NotFound("log", log.id)
    rule = rule_for(command)
    if log.status not in rule.sources:
        # A locking command on a held log fails because of the holder: say who.
        if _OPEN in rule.sources and _held_by_other(log, actor):
            raise LockedByOther(log.id, str(log.owner), command)
        raise InvalidTransition(log.status, command, log.id)
    _WHO_CHECKS[rule.who](log, rule, actor, policy, holder_role)
    return rule


def _held_by_other(log: ContactLog, actor: Actor) -> bool:
    return log.owner is not None and log.owner != actor.staff_id


def _owner_only(
    log: ContactLog, rule: Rule, actor: Actor, policy: Policy, holder: str | None
) -> None:
    if _held_by_other(log, actor):
        raise LockedByOther(log.id, str(log.owner), rule.command)


def _could_lock(
    log: ContactLog, rule: Rule, actor: Actor, policy: Policy, holder: str | None
) -> None:
    if _held_by_other(log, actor) and not _outranks(actor, holder, policy):
        raise LockedByOther(log.id, str(log.owner), rule.command)


def _outranks_owner(
    log: ContactLog, rule: Rule, actor: Actor, policy: Policy, holder: str | None
) -> None:
    if not _held_by_other(log, actor):
        raise InvalidTransition(f"{log.status} (held by the actor)", rule.command, log.id)
    if not _outranks(actor, holder, policy):
        raise LockedByOther(log.id, str(log.owner), rule.command)


def _outranks(actor: Actor, holder_role: str | None, policy: Policy) -> bool:
    return holder_role is not None and policy.outranks(actor.role, holder_role)


_Check = Callable[[ContactLog, Rule, Actor, Policy, "str | None"], None]
_WHO_CHECKS: dict[Who, _Check] = {
    Who.STAFF: anyone,
    Who.OWNER: _owner_only,
    Who.COULD_LOCK: _could_lock,
    Who.OUTRANKS_OWNER: _outranks_owner,
    Who.PERMISSION: permitted,
}


def mermaid_diagram() -> str:
    """The ownership table as a Mermaid state diagram (the docs embed this text)."""
    return state_diagram(
        (source, str(rule.target), edge_label(rule.command, rule.who, rule.permission))
        for rule in OWNERSHIP_RULES
        for source in [str(s) for s in sorted(rule.sources)] or ["[*]"]
    )
