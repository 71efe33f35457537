"""A small reference model of the ownership rules, written straight from docs/rules.md ("Contact logs").

Deliberately independent of ``domain.logs.rules``: plain ``if``s over a tiny
record, so that the state machine compares the library with a second,
simpler reading of the same rules. A unit test checks both agree on every
combination of status, holder and rank.
"""

from __future__ import annotations

import attrs

from contactlog_core.errors import (
    ContactLogError,
    InvalidTransition,
    LockedByOther,
    PermissionDenied,
)

__all__ = ["RefLog", "reference_outcome"]

OPEN, HELD, DONE = "OPEN", "IN_PROGRESS", "COMPLETED"
OWNER_ONLY = {"surrender", "amend", "add_follow_up", "reschedule_follow_up", "complete_follow_up"}


@attrs.frozen
class RefLog:
    """What the reference model keeps of a log."""

    status: str
    owner: str | None
    version: int
    completed_by: str | None = None


def reference_outcome(
    log: RefLog,
    command: str,
    actor: str,
    *,
    actor_rank: int,
    owner_rank: int | None,
    may_reopen: bool,
    assignee: str | None = None,
) -> RefLog | type[ContactLogError]:
    """The log after ``command`` by ``actor``, or the error class the library must raise."""
    held_by_other = log.owner is not None and log.owner != actor
    outranks = owner_rank is not None and actor_rank > owner_rank
    bump = log.version + 1

    if command == "take":
        if log.status == OPEN:
            return RefLog(HELD, actor, bump)
        return LockedByOther if held_by_other else InvalidTransition
    if command == "force_take":
        if log.status != HELD or not held_by_other:
            return InvalidTransition
        return RefLog(HELD, actor, bump) if outranks else LockedByOther
    if command == "assign":
        if log.status == DONE:
            return InvalidTransition
        if held_by_other and not outranks:
            return LockedByOther
        return RefLog(HELD, assignee, bump)
    if command == "reopen":
        if log.status != DONE:
            return InvalidTransition
        return RefLog(HELD, actor, bump) if may_reopen else PermissionDenied
    if command in OWNER_ONLY or command == "complete":
        if log.status != HELD:
            return InvalidTransition
        if held_by_other:
            return LockedByOther
        if command == "surrender":
            return RefLog(OPEN, None, bump)
        if command == "complete":
            return RefLog(DONE, None, bump, completed_by=actor)
        return RefLog(HELD, actor, bump)
    raise ValueError(f"the reference model has no command {command!r}")
