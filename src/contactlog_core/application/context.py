"""What every service shares: the store, clock, policy and id source, and the save-with-audit step."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

import attrs

from contactlog_core.clock import Clock
from contactlog_core.domain.organisations.model import Actor, OrgId, Staff, StaffId
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.errors import LockedByOther, NotFound, ValidationError
from contactlog_core.ports import Store, UnitOfWork
from contactlog_core.serialization import unstructure

__all__ = ["Context", "new_id"]


def new_id() -> str:
    """A fresh id: 32 hex digits, the first 14 from the system clock's microseconds.

    Ids made later sort later, so each table's unique index on ids grows at its
    end instead of taking a random page for every new record, and a commit
    writes fewer pages. The clock here only orders ids: no rule reads time
    from an id (the injected clock says when things happen). The other 72
    bits are random, so two ids of the same microsecond differ too.
    """
    return f"{time.time_ns() // 1000 & _FOURTEEN_DIGITS:014x}{secrets.token_hex(9)}"


_FOURTEEN_DIGITS = (1 << 56) - 1


@attrs.frozen
class Context:
    store: Store
    clock: Clock
    policy: Policy
    ids: Callable[[], str] = new_id
    sinks: frozenset[str] = frozenset({"ical", "collecting"})  # sink names settings may name

    def verified(self, uow: UnitOfWork, actor: object) -> Actor:
        """The actor as stored now: a forged or stale organisation or role is not trusted."""
        if not isinstance(actor, Actor):
            raise ValidationError(
                "actor", f"expected an Actor (see app.actor()), got {type(actor).__name__}"
            )
        try:
            staff = uow.staff.get(actor.org_id, actor.staff_id)
        except NotFound:
            raise NotFound("staff", str(actor.staff_id)) from None
        return Actor.of(staff)

    def staff_of(self, uow: UnitOfWork, org_id: OrgId, staff_id: object) -> Staff:
        if not isinstance(staff_id, str) or not staff_id:
            raise ValidationError("staff_id", f"expected a staff id, got {staff_id!r:.60}")
        return uow.staff.get(org_id, StaffId(staff_id))

    def role_of(self, uow: UnitOfWork, org_id: OrgId, staff_id: StaffId | None) -> str | None:
        """The role of a record's holder (``None`` when nobody holds it): for outranking."""
        return None if staff_id is None else uow.staff.get(org_id, staff_id).role

    def named(self, uow: UnitOfWork, org_id: OrgId, error: LockedByOther) -> LockedByOther:
        """``error`` with the holder's display name: the domain knows only the id."""
        try:
            name = uow.staff.get(org_id, StaffId(error.owner)).name
        except NotFound:
            name = ""
        return LockedByOther(error.log_id, error.owner, error.command, name, error.kind)

    def audit(
        self,
        uow: UnitOfWork,
        org_id: OrgId,
        entity: str,
        change: Change[Any],
        detail: dict[str, Any] | None = None,
        *,
        snapshot: Callable[[Any], dict[str, Any]] = unstructure,
    ) -> None:
        """Append the audit event of ``change``; ``snapshot`` makes its before and after data."""
        after = change.after
        uow.audit.append(
            AuditEvent(
                id=self.ids(),
                org_id=org_id,
                entity=entity,
                entity_id=str(after.id),
                command=str(change.command),
                actor=change.actor,
                at=change.at,
                before=None if change.before is None else snapshot(change.before),
                after=snapshot(after),
                detail=detail,
            )
        )
