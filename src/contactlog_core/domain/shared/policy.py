"""Roles, ranks and permissions as data.

A host app may bring its own policy as a plain dict (from its settings file);
``Policy.from_dict`` checks it and says precisely what is wrong.

>>> policy = Policy.default()
>>> policy.outranks("school_admin", "office_admin")
True
>>> policy.allows("office_admin", Permission.REOPEN_LOG)
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Protocol

import attrs

from contactlog_core.errors import PermissionDenied, ValidationError

__all__ = ["Acting", "Permission", "Policy", "Role", "require_permission"]


class Permission(StrEnum):
    """Powers beyond holding the lock, granted to roles."""

    REOPEN_LOG = "reopen_log"
    REACTIVATE_LEAD = "reactivate_lead"
    REDACT_INTERACTION = "redact_interaction"


@attrs.frozen
class Role:
    """A staff role; a higher ``rank`` outranks a lower one (force-take)."""

    name: str
    rank: int


def _check_roles(_: object, __: attrs.Attribute[Any], roles: tuple[Role, ...]) -> None:
    if not roles:
        raise ValidationError("policy.roles", "a policy needs at least one role")
    names = [r.name for r in roles]
    ranks = [r.rank for r in roles]
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                "policy.roles", f"a role name must be a non-empty string, not {name!r}"
            )
    if dup := _first_duplicate(names):
        raise ValidationError("policy.roles", f"duplicate role {dup!r}")
    if dup := _first_duplicate(ranks):
        raise ValidationError("policy.roles", f"duplicate rank {dup!r}: ranks must differ")


def _as_roles(roles: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(roles)


def _first_duplicate(values: list[Any]) -> Any:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


@attrs.frozen
class Policy:
    """Who outranks whom and who holds which permission."""

    roles: tuple[Role, ...] = attrs.field(converter=_as_roles, validator=_check_roles)
    grants: Mapping[Permission, frozenset[str]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        known = {r.name for r in self.roles}
        for permission, holders in self.grants.items():
            if not isinstance(permission, Permission):
                raise ValidationError("policy.grants", f"unknown permission {permission!r}")
            for role in sorted(holders - known):
                raise ValidationError(
                    "policy.grants", f"{permission} granted to unknown role {role!r}"
                )

    @classmethod
    def default(cls) -> Policy:
        """The seeds' policy: office_admin < school_admin, who holds every permission."""
        return cls(
            roles=(Role("office_admin", 1), Role("school_admin", 2)),
            grants={p: frozenset({"school_admin"}) for p in Permission},
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """Build a policy from plain data, as ``to_dict`` writes it.

        ``{"roles": [{"name": "clerk", "rank": 1}, ...], "grants": {"reopen_log": ["head"]}}``
        """
        from contactlog_core.serialization import structure

        return structure(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The policy as JSON-ready data."""
        from contactlog_core.serialization import unstructure

        result: dict[str, Any] = unstructure(self)
        return result

    def role(self, name: str) -> Role:
        """The role called ``name``, or ``ValidationError`` if there is none."""
        for role in self.roles:
            if role.name == name:
                return role
        known = ", ".join(r.name for r in self.roles)
        raise ValidationError("role", f"unknown role {name!r} (known: {known})")

    def outranks(self, role: str, other: str) -> bool:
        """True when ``role`` ranks strictly above ``other``; equal rank never does."""
        return self.role(role).rank > self.role(other).rank

    def allows(self, role: str, permission: Permission) -> bool:
        """True when ``role`` holds ``permission``."""
        self.role(role)
        return role in self.grants.get(permission, frozenset())

    @property
    def top_role(self) -> Role:
        """The highest-ranked role."""
        return max(self.roles, key=lambda r: r.rank)


class Acting(Protocol):
    """Who runs a command, as a permission check reads them (an ``Actor``)."""

    @property
    def staff_id(self) -> str: ...

    @property
    def role(self) -> str: ...


def require_permission(policy: Policy, actor: Acting, permission: Permission, command: str) -> None:
    """Refuse ``command`` with ``PermissionDenied`` unless ``actor``'s role holds ``permission``."""
    if not policy.allows(actor.role, permission):
        raise PermissionDenied(permission, actor.staff_id, command)
