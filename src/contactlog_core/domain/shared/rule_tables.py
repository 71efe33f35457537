"""What every rule table shares: the checks any table's rows may name, and the table as a diagram.

A rule table (the ownership table of logs, the lead table) says who may run
which command from which status; each row names a who-check, run by the
table's ``authorise``. The checks below mean the same in every table. The
docs embed each table as the Mermaid state diagram drawn here from the table
itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from contactlog_core.domain.shared.policy import Acting, Permission, Policy, require_permission

__all__ = ["anyone", "edge_label", "permitted", "state_diagram"]


class _Row(Protocol):
    """A row of a rule table, as the shared checks read it."""

    @property
    def command(self) -> str: ...

    @property
    def permission(self) -> Permission | None: ...


def anyone(record: object, rule: _Row, actor: Acting, policy: Policy, owner: str | None) -> None:
    """Any staff member of the record's organisation may."""


def permitted(record: object, rule: _Row, actor: Acting, policy: Policy, owner: str | None) -> None:
    """Whoever holds the row's permission may; anyone else gets ``PermissionDenied``."""
    assert rule.permission is not None, "a PERMISSION rule names its permission"
    require_permission(policy, actor, rule.permission, rule.command)


def edge_label(command: str, who: StrEnum, permission: StrEnum | None) -> str:
    """``command`` and who may run it: the permission it needs, if any, else ``who``."""
    return f"{command} ({permission.value if permission else who.value})"


def state_diagram(edges: Iterable[tuple[str, str, str]]) -> str:
    """A Mermaid ``stateDiagram-v2`` with one line per ``(source, target, label)``, in order."""
    lines = ["stateDiagram-v2"]
    lines.extend(f"    {source} --> {target}: {label}" for source, target, label in edges)
    return "\n".join(lines) + "\n"
