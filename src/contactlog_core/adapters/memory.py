"""MemoryStore: the whole store in process memory, with the databases' semantics.

A product feature, not a mock: host apps run their own fast tests on it.
A unit of work holds the store's lock from start to end (as SQLite's
``BEGIN IMMEDIATE`` does), stages its writes privately, and applies them
all at once on success; an exception discards them. Saves check versions,
so a stale save raises ``ConcurrencyConflict`` here just as in SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Generic, Protocol, TypeVar

import attrs
from pendulum import DateTime

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.domain.interactions.queries import InteractionPage, InteractionQuery
from contactlog_core.domain.interactions.query_rules import (
    interaction_page,
    sort_interactions,
    wanted,
)
from contactlog_core.domain.leads.commands import sweep_change
from contactlog_core.domain.leads.model import LEAD_ENTITY, Lead, LeadStatus
from contactlog_core.domain.leads.queries import LeadQuery, LeadRow
from contactlog_core.domain.leads.query_rules import lead_page
from contactlog_core.domain.logs import query_rules as rules
from contactlog_core.domain.logs.model import ContactLog, LogId
from contactlog_core.domain.logs.queries import (
    Badges,
    FollowUpQuery,
    FollowUpRow,
    LogQuery,
    LogSummary,
)
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.reminders.plan import ReminderRequest, last_sent
from contactlog_core.domain.shared.audit import AuditEvent, audit_event
from contactlog_core.domain.shared.paging import Page
from contactlog_core.errors import ConcurrencyConflict, NotFound, StoreUnavailable, ValidationError
from contactlog_core.ports import NESTED_UNIT_OF_WORK as NESTED
from contactlog_core.ports import AgingBatch, AgingRequest, OutboxEntry

__all__ = ["MemoryStore"]


class _Record(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def version(self) -> int: ...


R = TypeVar("R", bound=_Record)


class _Table(Generic[R]):
    """One kind of record: committed rows plus the rows a unit of work has staged."""

    def __init__(self, kind: str, rows: dict[str, R], *, read_only: bool = False) -> None:
        self._kind = kind
        self._rows = rows
        self._staged: dict[str, R] = {}
        self._read_only = read_only

    def _writable(self) -> None:
        if self._read_only:
            raise StoreUnavailable(f"write a {self._kind}", "the unit of work is read-only")

    def lookup(self, key: str) -> R | None:
        return self._staged.get(key, self._rows.get(key))

    def get(self, key: str, visible: Callable[[R], bool] = lambda _: True) -> R:
        row = self.lookup(key)
        if row is None or not visible(row):
            raise NotFound(self._kind, key)
        return row

    def add(self, row: R) -> None:
        self._writable()
        if self.lookup(row.id) is not None:
            raise ValidationError(f"{self._kind}.id", f"{row.id!r} already exists")
        self._staged[row.id] = row

    def update(self, row: R, expected_version: int) -> None:
        self._writable()
        current = self.lookup(row.id)
        actual = None if current is None else current.version
        if actual != expected_version:
            raise ConcurrencyConflict(self._kind, row.id, expected_version, actual)
        self._staged[row.id] = row

    def by_id(self) -> dict[str, R]:
        """Every row by its id, as this unit of work sees them (its staged rows over the committed)."""
        return {**self._rows, **self._staged}

    def values(self) -> list[R]:
        return list(self.by_id().values())

    def commit(self) -> None:
        # New keys join the end of the dict, existing ones keep their place: insertion order.
        self._rows.update(self._staged)
        self._staged = {}


class _Organisations:
    def __init__(self, table: _Table[Organisation]) -> None:
        self._t = table

    def add(self, org: Organisation) -> None:
        self._t.add(org)

    def get(self, org_id: OrgId) -> Organisation:
        return self._t.get(org_id)

    def update(self, org: Organisation, *, expected_version: int) -> None:
        self._t.update(org, expected_version)

    def list(self) -> Sequence[Organisation]:
        return sorted(self._t.values(), key=lambda org: org.id)


class _Staff:
    def __init__(self, table: _Table[Staff]) -> None:
        self._t = table

    def add(self, staff: Staff) -> None:
        self._t.add(staff)

    def get(self, org_id: OrgId, staff_id: StaffId) -> Staff:
        return self._t.get(staff_id, lambda s: s.org_id == org_id)

    def find(self, staff_id: StaffId) -> Staff:
        return self._t.get(staff_id)

    def list(self, org_id: OrgId) -> Sequence[Staff]:
        return sorted(
            (s for s in self._t.values() if s.org_id == org_id), key=lambda s: (s.name, s.id)
        )


class _OrgRecord(_Record, Protocol):
    @property
    def org_id(self) -> str: ...


S = TypeVar("S", bound=_OrgRecord)


class _OfOrganisations(Generic[S]):
    """Records each of one organisation: another organisation's do not exist for it."""

    def __init__(self, table: _Table[S]) -> None:
        self._t = table

    def add(self, record: S) -> None:
        self._t.add(record)

    def get(self, org_id: OrgId, record_id: str) -> S:
        return self._t.get(record_id, lambda record: record.org_id == org_id)

    def update(self, record: S, *, expected_version: int) -> None:
        self._t.update(record, expected_version)


class _Logs(_OfOrganisations[ContactLog]):
    def __init__(self, table: _Table[ContactLog], staff: _Table[Staff]) -> None:
        super().__init__(table)
        self._staff = staff

    def list(self, query: LogQuery) -> Page[LogSummary]:
        return rules.log_page(query, self._t.values(), self._staff.by_id())

    def badges(self, org_id: OrgId, staff_id: StaffId) -> Badges:
        return rules.badges((log for log in self._t.values() if log.org_id == org_id), staff_id)

    def follow_ups(self, query: FollowUpQuery) -> Page[FollowUpRow]:
        return rules.follow_up_page(query, self._t.values(), self._staff.by_id())


class _Leads(_OfOrganisations[Lead]):
    def __init__(self, table: _Table[Lead], staff: _Table[Staff], audit: _Audit) -> None:
        super().__init__(table)
        self._staff = staff
        self._audit = audit

    def page(self, query: LeadQuery) -> Page[LeadRow]:
        return lead_page(query, self._t.values(), self._staff.by_id())

    def age_batch(self, request: AgingRequest) -> AgingBatch:
        org_id, after = request.org_id, request.after
        # Leads in the order they were added (as a table's rowids): never deleted, so a
        # lead's position among all leads stays its own.
        keyed = [
            (seq, lead)
            for seq, lead in enumerate(self._t.values())
            if lead.org_id == org_id and not lead.archived and (after is None or seq > after)
        ]
        batch = keyed[: request.size]
        transitions: dict[tuple[LeadStatus, LeadStatus], int] = {}
        for _, lead in batch:
            change = sweep_change(lead, request.cutoffs)
            if change is None:
                continue
            self._t.update(change.after, lead.version)
            self._audit.append(
                audit_event(change, event_id=request.new_id(), org_id=org_id, entity=LEAD_ENTITY)
            )
            key = (lead.status, change.after.status)
            transitions[key] = transitions.get(key, 0) + 1
        last = len(batch) < request.size
        return AgingBatch(transitions=transitions, next=None if last else batch[-1][0])


_SourceKey = tuple[str, str, str]  # (org_id, source, source_ref): what capture is idempotent on


class _Interactions(_OfOrganisations[Interaction]):
    def __init__(self, table: _Table[Interaction], sources: dict[_SourceKey, str]) -> None:
        super().__init__(table)
        self._sources = sources
        self._staged_sources: dict[_SourceKey, str] = {}

    def add(self, interaction: Interaction) -> None:
        key = (interaction.org_id, interaction.source, interaction.source_ref)
        found = self.find_by_source(*key)
        if found is not None:
            raise ConcurrencyConflict("interaction", interaction.id, 0, found.version)
        self._t.add(interaction)
        self._staged_sources[key] = interaction.id

    def find_by_source(self, org_id: OrgId, source: str, source_ref: str) -> Interaction | None:
        key = (org_id, source, source_ref)
        found = self._staged_sources.get(key, self._sources.get(key))
        return None if found is None else self._t.lookup(found)

    def find_by_sources(
        self, org_id: OrgId, refs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Interaction]:
        found = {ref: self.find_by_source(org_id, *ref) for ref in refs}
        return {ref: interaction for ref, interaction in found.items() if interaction is not None}

    def page(self, query: InteractionQuery) -> InteractionPage:
        return interaction_page(query, self._t.values())

    def stream(self, query: InteractionQuery) -> Iterator[Interaction]:
        found = (i for i in self._t.values() if wanted(query, i))
        return iter(sort_interactions(found, query.order))

    def commit(self) -> None:
        self._sources.update(self._staged_sources)
        self._staged_sources = {}


@attrs.define
class _Queued:
    entry: OutboxEntry
    delivered_at: DateTime | None = None


class _Outbox:
    # Staged entries are appended to a copy of the committed list, swapped in on commit.
    def __init__(self, committed: list[_Queued], *, read_only: bool) -> None:
        self._committed = committed
        self._rows: list[_Queued] | None = None
        self._read_only = read_only

    @property
    def _all(self) -> list[_Queued]:
        return self._committed if self._rows is None else self._rows

    def _writable(self) -> list[_Queued]:
        if self._read_only:
            raise StoreUnavailable("write a reminder request", "the unit of work is read-only")
        if self._rows is None:
            self._rows = [attrs.evolve(q) for q in self._committed]
        return self._rows

    def last_sent(self, org_id: OrgId, log_id: LogId) -> dict[str, ReminderRequest]:
        return last_sent(
            q.entry.request
            for q in self._all
            if (q.entry.request.org_id, q.entry.request.log_id) == (org_id, log_id)
        )

    def enqueue(self, requests: Sequence[ReminderRequest], *, at: DateTime) -> None:
        rows = self._writable()
        taken = {(q.entry.request.key, q.entry.request.sequence) for q in rows}
        for request in requests:
            if (request.key, request.sequence) in taken:
                raise ValidationError("reminder", f"{request.key} #{request.sequence} is queued")
            taken.add((request.key, request.sequence))
            rows.append(_Queued(OutboxEntry(len(rows) + 1, request, 0, at)))

    def due(self, sink: str, now: DateTime, limit: int) -> list[OutboxEntry]:
        due = [
            q.entry
            for q in self._all
            if q.delivered_at is None
            and q.entry.request.sink == sink
            and q.entry.next_attempt_at <= now
        ]
        return sorted(due, key=lambda e: (e.next_attempt_at, e.id))[:limit]

    def delivered(self, entry: OutboxEntry, at: DateTime) -> None:
        for q in self._writable():
            request = q.entry.request
            if request.key == entry.request.key and request.sequence <= entry.request.sequence:
                q.delivered_at = q.delivered_at or at

    def failed(self, entry: OutboxEntry, *, retry_at: DateTime, error: str) -> None:
        for q in self._writable():
            if q.entry.id == entry.id:
                q.entry = attrs.evolve(
                    q.entry,
                    attempts=q.entry.attempts + 1,
                    next_attempt_at=retry_at,
                    last_error=error,
                )

    def pending(self, sink: str | None = None) -> int:
        return sum(
            q.delivered_at is None and sink in (None, q.entry.request.sink) for q in self._all
        )

    def commit(self) -> None:
        if self._rows is not None:
            self._committed[:] = self._rows
            self._rows = None


class _Audit:
    def __init__(self, committed: list[AuditEvent], *, read_only: bool) -> None:
        self._committed = committed
        self._read_only = read_only
        self.staged: list[AuditEvent] = []

    def append(self, event: AuditEvent) -> None:
        if self._read_only:
            raise StoreUnavailable("append an audit event", "the unit of work is read-only")
        self.staged.append(event)

    def events(
        self, org_id: OrgId, *, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]:
        matching = [
            e
            for e in reversed(self._committed + self.staged)
            if e.org_id == org_id and (entity_id is None or e.entity_id == entity_id)
        ]
        return matching[:limit]


class _MemoryUnitOfWork:
    def __init__(self, store: MemoryStore, *, read_only: bool) -> None:
        self._store = store
        self._orgs: _Table[Organisation] = _Table(
            "organisation", store._organisations, read_only=read_only
        )
        self._staff: _Table[Staff] = _Table("staff", store._staff, read_only=read_only)
        self._logs: _Table[ContactLog] = _Table("log", store._logs, read_only=read_only)
        self._leads: _Table[Lead] = _Table("lead", store._leads, read_only=read_only)
        self._interactions: _Table[Interaction] = _Table(
            "interaction", store._interactions, read_only=read_only
        )
        self.organisations = _Organisations(self._orgs)
        self.staff = _Staff(self._staff)
        self.logs = _Logs(self._logs, self._staff)
        self.audit = _Audit(store._audit, read_only=read_only)
        self.leads = _Leads(self._leads, self._staff, self.audit)
        self.interactions = _Interactions(self._interactions, store._interaction_sources)
        self.reminders = _Outbox(store._outbox, read_only=read_only)

    def __enter__(self) -> _MemoryUnitOfWork:
        self._store._lock.acquire()
        if getattr(self._store._active, "open", False):
            self._store._lock.release()
            raise StoreUnavailable("begin a unit of work", NESTED)
        self._store._active.open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._commit()
        finally:
            self._store._active.open = False
            self._store._lock.release()

    def _commit(self) -> None:
        for table in (self._orgs, self._staff, self._logs, self._leads, self._interactions):
            table.commit()
        self.interactions.commit()
        self.reminders.commit()
        self._store._audit.extend(self.audit.staged)
        self.audit.staged = []


class MemoryStore:
    """A complete, thread-safe store in memory.

    >>> store = MemoryStore()
    >>> with store.unit_of_work() as uow:
    ...     uow.organisations.get("nope")
    Traceback (most recent call last):
    ...
    contactlog_core.errors.NotFound: no organisation with id 'nope'
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        # Which threads are inside a unit of work: one may not open another (as in SQL).
        self._active = threading.local()
        self._organisations: dict[str, Organisation] = {}
        self._staff: dict[str, Staff] = {}
        self._logs: dict[str, ContactLog] = {}
        self._leads: dict[str, Lead] = {}
        self._interactions: dict[str, Interaction] = {}
        self._interaction_sources: dict[_SourceKey, str] = {}
        self._outbox: list[_Queued] = []
        self._audit: list[AuditEvent] = []
        self._closed = False

    def unit_of_work(self, *, read_only: bool = False) -> _MemoryUnitOfWork:
        """A unit of work holding the store's lock until it ends; a ``read_only`` one refuses writes."""
        # Readers take the lock too: a dict is not safe to read while another thread commits.
        if self._closed:
            raise StoreUnavailable("open a unit of work", "the store is closed")
        return _MemoryUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Refuse further units of work."""
        self._closed = True

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._logs)} logs)"
