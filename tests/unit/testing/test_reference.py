"""The shipped reference model and the ownership table agree on every case.

The state machine compares the library with the reference model; this test
ties the reference model to the one table the library reads, so neither can
drift on its own.
"""

from __future__ import annotations

import itertools

import attrs
import pytest

from contactlog_core import (
    OWNERSHIP_RULES,
    Actor,
    ContactLog,
    ContactLogError,
    LogCommand,
    LogId,
    LogStatus,
    Permission,
    Policy,
)
from contactlog_core.domain.logs import commands
from contactlog_core.domain.logs.rules import Who, authorise, mermaid_diagram, rule_for
from contactlog_core.testing.reference import RefLog, reference_outcome
from tests.support.seeds import NOW, make_staff

POLICY = Policy.default()
PEOPLE = {
    "ann": make_staff("ann", "office_admin"),
    "ben": make_staff("ben", "office_admin"),
    "cat": make_staff("cat", "school_admin"),
}
COMMANDS = [c for c in LogCommand if c is not LogCommand.RECORD]


def _log(status: LogStatus, owner: str | None) -> ContactLog:
    log = commands.record(
        log_id=LogId("l"), actor=Actor.of(PEOPLE["ann"]), now=NOW, contact=None, subject="s"
    ).after
    return attrs.evolve(log, status=status, owner=owner, version=7)


CASES = [
    (status, owner, actor, command)
    for status in LogStatus
    for owner in ([None] if status is not LogStatus.IN_PROGRESS else list(PEOPLE))
    for actor, command in itertools.product(PEOPLE, COMMANDS)
]


@pytest.mark.parametrize(("status", "owner", "actor", "command"), CASES)
def test_reference_model_agrees_with_the_table(
    status: LogStatus, owner: str | None, actor: str, command: LogCommand
) -> None:
    log = _log(status, owner)
    me = Actor.of(PEOPLE[actor])
    holder_role = PEOPLE[owner].role if owner else None
    expected = reference_outcome(
        RefLog(status, owner, log.version),
        command,
        actor,
        actor_rank=POLICY.role(me.role).rank,
        owner_rank=POLICY.role(holder_role).rank if holder_role else None,
        may_reopen=POLICY.allows(me.role, Permission.REOPEN_LOG),
        assignee="ben",
    )
    if isinstance(expected, RefLog):
        assert authorise(log, command, me, POLICY, holder_role).target == expected.status
    else:
        with pytest.raises(ContactLogError) as refused:
            authorise(log, command, me, POLICY, holder_role)
        assert type(refused.value) is expected


def test_every_command_has_exactly_one_row() -> None:
    assert sorted(r.command for r in OWNERSHIP_RULES) == sorted(LogCommand)


def test_only_record_starts_from_nothing() -> None:
    assert [r.command for r in OWNERSHIP_RULES if not r.sources] == [LogCommand.RECORD]


def test_permission_rows_name_their_permission() -> None:
    for rule in OWNERSHIP_RULES:
        assert (rule.who is Who.PERMISSION) == (rule.permission is not None)


def test_the_diagram_has_one_edge_per_source_of_every_row() -> None:
    edges = mermaid_diagram().splitlines()[1:]
    assert len(edges) == sum(max(1, len(r.sources)) for r in OWNERSHIP_RULES)
    assert "    COMPLETED --> IN_PROGRESS: reopen (reopen_log)" in edges
    assert rule_for(LogCommand.TAKE).sources == frozenset({LogStatus.OPEN})
