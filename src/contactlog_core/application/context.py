"""What every service shares: the store, clock, policy and ids, and the one shape of a use case.

A use case opens a unit of work, re-reads the actor, loads the record, asks
the pure domain for a ``Change``, saves the new version naming the version it
read, appends the audit event, runs what the record's kind does after a save
(a log plans its reminders), and commits when the block ends. ``create`` and
``change`` are those steps, written once; the services say only what differs:
which kind of record (``Records``) and what to decide.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

import attrs
from pendulum import DateTime

from contactlog_core.clock import Clock
from contactlog_core.domain.organisations.model import Actor, OrgId, Staff, StaffId
from contactlog_core.domain.shared.audit import Snapshot, audit_event
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.errors import LockedByOther, NotFound, ValidationError
from contactlog_core.ports import Store, UnitOfWork
from contactlog_core.serialization import unstructure

__all__ = ["Context", "Records", "Repository", "new_id"]


class Versioned(Protocol):
    """A record saved with optimistic versions: a save names the version it read."""

    @property
    def version(self) -> int: ...


R = TypeVar("R", bound=Versioned)


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

    @contextmanager
    def acting(
        self, actor: object, *, read_only: bool = False
    ) -> Iterator[tuple[UnitOfWork, Actor]]:
        """A unit of work and ``actor`` as stored in it: where every use case starts."""
        with self.store.unit_of_work(read_only=read_only) as uow:
            yield uow, self.verified(uow, actor)

    def create(
        self,
        actor: object,
        kind: Records[R],
        decide: Callable[[UnitOfWork, Actor, DateTime], Change[R]],
    ) -> R:
        """One use case that adds a record: decide, add, record the change, commit."""
        with self.acting(actor) as (uow, me):
            change = decide(uow, me, self.clock.now())
            kind.repository(uow).add(change.after)
            self.recorded(uow, me.org_id, kind, change)
            return change.after

    def change(
        self,
        actor: object,
        kind: Records[R],
        record_id: object,
        decide: Callable[[UnitOfWork, R, Actor, DateTime], Change[R]],
        *,
        detail: Callable[[Change[R]], dict[str, Any] | None] | None = None,
    ) -> R:
        """One use case that changes a record: load, decide, save the version read, record, commit.

        A ``LockedByOther`` from ``decide`` gets the holder's name; a save that
        finds another version raises ``ConcurrencyConflict`` and keeps nothing.
        """
        key = kind.key(record_id)
        with self.acting(actor) as (uow, me):
            repository = kind.repository(uow)
            current = repository.get(me.org_id, key)
            try:
                change = decide(uow, current, me, self.clock.now())
            except LockedByOther as e:
                raise self.named(uow, me.org_id, e) from None
            repository.update(change.after, expected_version=current.version)
            self.recorded(uow, me.org_id, kind, change, None if detail is None else detail(change))
            return change.after

    def recorded(
        self,
        uow: UnitOfWork,
        org_id: OrgId,
        kind: Records[R],
        change: Change[R],
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append ``change``'s audit event and run what the kind does after every save."""
        self.audit(uow, org_id, kind.entity, change, detail, snapshot=kind.snapshot)
        kind.saved(uow, change.before, change.after, change.at)

    def audit(
        self,
        uow: UnitOfWork,
        org_id: OrgId,
        entity: str,
        change: Change[Any],
        detail: dict[str, Any] | None = None,
        *,
        snapshot: Snapshot = unstructure,
    ) -> None:
        """Append the audit event of ``change``, under a fresh id."""
        event = audit_event(
            change,
            event_id=self.ids(),
            org_id=org_id,
            entity=entity,
            snapshot=snapshot,
            detail=detail,
        )
        uow.audit.append(event)


class Repository(Protocol[R]):
    """What the services need of a store's repository of one kind of record."""

    def add(self, record: R) -> None: ...

    def get(self, org_id: OrgId, key: Any) -> R: ...

    def update(self, record: R, *, expected_version: int) -> None: ...


def _nothing_more(uow: UnitOfWork, before: Any, after: Any, at: DateTime) -> None:
    """Most kinds need nothing beyond the save and its audit event."""


@attrs.frozen
class Records(Generic[R]):
    """One kind of record as the use cases change it: where it is kept and how it is audited.

    ``key`` checks a caller's id; ``snapshot`` is what the audit trail keeps of
    a record; ``saved`` runs in the same unit of work after every save (a log's
    reminders are planned there).
    """

    entity: str
    repository: Callable[[UnitOfWork], Repository[R]]
    key: Callable[[object], Any]
    snapshot: Snapshot = unstructure
    saved: Callable[[UnitOfWork, R | None, R, DateTime], None] = _nothing_more
