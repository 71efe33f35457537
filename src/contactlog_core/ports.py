"""The ports: what the application needs from a store, as ``typing.Protocol`` classes.

A store hands out units of work. A unit of work is a context manager: what
it writes becomes visible to others only when the ``with`` block ends
without an exception, and none of it does otherwise. Every read and write
names the organisation, so no repository call crosses organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Protocol, TypeAlias

import attrs
from pendulum import DateTime

from contactlog_core.domain.interactions.model import Interaction, InteractionId
from contactlog_core.domain.interactions.queries import InteractionPage, InteractionQuery
from contactlog_core.domain.leads.aging import AgingCutoffs
from contactlog_core.domain.leads.model import Lead, LeadId, LeadStatus
from contactlog_core.domain.leads.queries import LeadQuery, LeadRow
from contactlog_core.domain.logs.model import ContactLog, LogId
from contactlog_core.domain.logs.queries import (
    Badges,
    FollowUpQuery,
    FollowUpRow,
    LogQuery,
    LogSummary,
)
from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.reminders.plan import ReminderRequest
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.paging import Page

__all__ = [
    "NESTED_UNIT_OF_WORK",
    "AgingBatch",
    "AgingRequest",
    "AuditRepository",
    "InteractionRepository",
    "LeadRepository",
    "LogRepository",
    "OrganisationRepository",
    "OutboxEntry",
    "ReminderOutbox",
    "ReminderSink",
    "StaffRepository",
    "Store",
    "SweepKey",
    "TagExtractor",
    "UnitOfWork",
]


# Every store refuses a unit of work opened inside another in the same thread.
NESTED_UNIT_OF_WORK = "a unit of work is already open in this thread; finish it first"


class OrganisationRepository(Protocol):
    """Organisations by id."""

    def add(self, org: Organisation) -> None: ...

    def get(self, org_id: OrgId) -> Organisation:
        """The organisation, or ``NotFound``."""
        ...

    def update(self, org: Organisation, *, expected_version: int) -> None:
        """Replace the stored organisation if still at ``expected_version``."""
        ...

    def list(self) -> Sequence[Organisation]:
        """Every organisation, by id: only for the host's own jobs (the sweep)."""
        ...


class StaffRepository(Protocol):
    """Staff members, always looked up within an organisation (but ``find``)."""

    def add(self, staff: Staff) -> None: ...

    def get(self, org_id: OrgId, staff_id: StaffId) -> Staff:
        """The staff member of ``org_id``, or ``NotFound`` (also for another organisation's)."""
        ...

    def find(self, staff_id: StaffId) -> Staff:
        """The staff member in whichever organisation: only for building an actor."""
        ...

    def list(self, org_id: OrgId) -> Sequence[Staff]: ...


class LogRepository(Protocol):
    """Contact logs with their follow-ups; saves are optimistic (``expected_version``)."""

    def add(self, log: ContactLog) -> None: ...

    def get(self, org_id: OrgId, log_id: LogId) -> ContactLog:
        """The log of ``org_id``, or ``NotFound`` (also for another organisation's)."""
        ...

    def update(self, log: ContactLog, *, expected_version: int) -> None:
        """Replace the stored log if it is still at ``expected_version``, else ``ConcurrencyConflict``."""
        ...

    def list(self, query: LogQuery) -> Page[LogSummary]:
        """A page of the log list, as ``domain.logs.query_rules.log_page`` defines it."""
        ...

    def badges(self, org_id: OrgId, staff_id: StaffId) -> Badges:
        """Badge counts, as ``domain.logs.query_rules.badges`` defines them."""
        ...

    def follow_ups(self, query: FollowUpQuery) -> Page[FollowUpRow]:
        """A page of outstanding follow-ups, as ``domain.logs.query_rules.follow_up_page`` defines it."""
        ...


SweepKey: TypeAlias = int
"""Where an aging sweep of one organisation goes on from; opaque to the caller."""


@attrs.frozen
class AgingRequest:
    """One batch of the aging sweep of one organisation, as ``LeadRepository.age_batch`` takes it.

    Up to ``size`` of ``org_id``'s leads after ``after`` (``None``: from the
    first), aged at ``cutoffs``; ``new_id`` makes the ids of their audit events.
    The next batch is the same request with ``after`` set to ``AgingBatch.next``.
    """

    org_id: OrgId
    cutoffs: AgingCutoffs
    after: SweepKey | None
    size: int
    new_id: Callable[[], str]


@attrs.frozen
class AgingBatch:
    """What one batch of the sweep changed: a count per (before, after) status.

    ``next`` is where the following batch starts; ``None`` after the last one.
    """

    transitions: Mapping[tuple[LeadStatus, LeadStatus], int]
    next: SweepKey | None

    @property
    def changed(self) -> int:
        return sum(self.transitions.values())


class LeadRepository(Protocol):
    """Sales leads; saves are optimistic (``expected_version``)."""

    def add(self, lead: Lead) -> None: ...

    def get(self, org_id: OrgId, lead_id: LeadId) -> Lead:
        """The lead of ``org_id``, or ``NotFound`` (also for another organisation's)."""
        ...

    def update(self, lead: Lead, *, expected_version: int) -> None:
        """Replace the stored lead if it is still at ``expected_version``, else ``ConcurrencyConflict``."""
        ...

    def page(self, query: LeadQuery) -> Page[LeadRow]:
        """A page of a lead view, as ``domain.leads.query_rules.lead_page`` defines it."""
        ...

    def age_batch(self, request: AgingRequest) -> AgingBatch:
        """Write the aged status of the batch of leads ``request`` names.

        Each lead is moved exactly as ``domain.leads.commands.sweep_change`` says
        (``version + 1``, ``updated_at = cutoffs.now``, no owner once available;
        a lead written after ``cutoffs.now`` is left alone), with an ``age``
        audit event as ``domain.shared.audit.audit_event`` builds it, under an
        id from ``request.new_id``. A store that writes the events set-based, in
        SQL, makes ids of the same form there (time-ordered, 32 hex digits).
        """
        ...


class InteractionRepository(Protocol):
    """Captured interactions, findable by id, by source reference and by search.

    The store indexes each interaction's ``searchable_words`` in its
    organisation's time zone when it is added or updated, in the same
    transaction: a search never sees a change its unit of work has not
    committed, nor misses one it has.
    """

    def add(self, interaction: Interaction) -> None:
        """Store a new interaction.

        One already stored with the same organisation, ``source`` and
        ``source_ref`` (a capture racing this one) raises ``ConcurrencyConflict``.
        """
        ...

    def get(self, org_id: OrgId, interaction_id: InteractionId) -> Interaction:
        """The interaction of ``org_id``, or ``NotFound`` (also for another organisation's)."""
        ...

    def find_by_source(self, org_id: OrgId, source: str, source_ref: str) -> Interaction | None:
        """The interaction captured from ``(source, source_ref)`` in ``org_id``, if any."""
        ...

    def find_by_sources(
        self, org_id: OrgId, refs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Interaction]:
        """Those of ``refs`` (``(source, source_ref)`` pairs) captured in ``org_id``, by pair.

        One read for a whole batch of a sync job, where ``find_by_source`` would be one each.
        """
        ...

    def update(self, interaction: Interaction, *, expected_version: int) -> None:
        """Replace the stored interaction if still at ``expected_version``, else ``ConcurrencyConflict``."""
        ...

    def page(self, query: InteractionQuery) -> InteractionPage:
        """A page, as ``domain.interactions.query_rules.interaction_page`` defines it."""
        ...

    def stream(self, query: InteractionQuery) -> Iterator[Interaction]:
        """Every match of ``query`` in its order, ignoring its page: read lazily, for exports.

        Valid while the unit of work is open.
        """
        ...


@attrs.frozen
class OutboxEntry:
    """A reminder request waiting in the outbox, with its delivery attempts so far."""

    id: int
    request: ReminderRequest
    attempts: int
    next_attempt_at: DateTime
    last_error: str = ""


class ReminderOutbox(Protocol):
    """The transactional outbox of reminder requests (docs/rules.md, "Contact logs").

    Requests are written in the unit of work of the log change they follow
    from, so none is lost and none is sent for a change that was rolled back.
    """

    def last_sent(self, org_id: OrgId, log_id: LogId) -> Mapping[str, ReminderRequest]:
        """The request of highest sequence of each key of the log (delivered or not)."""
        ...

    def enqueue(self, requests: Sequence[ReminderRequest], *, at: DateTime) -> None:
        """Add requests, due for delivery from ``at``; a ``(key, sequence)`` twice is refused."""
        ...

    def due(self, sink: str, now: DateTime, limit: int) -> Sequence[OutboxEntry]:
        """Up to ``limit`` undelivered requests for ``sink`` due by ``now``, oldest first."""
        ...

    def delivered(self, entry: OutboxEntry, at: DateTime) -> None:
        """Mark ``entry`` delivered, and any undelivered lower sequence of its key (superseded)."""
        ...

    def failed(self, entry: OutboxEntry, *, retry_at: DateTime, error: str) -> None:
        """Count a failed attempt; try again from ``retry_at``."""
        ...

    def pending(self, sink: str | None = None) -> int:
        """How many requests are not delivered yet (of one sink, or of all)."""
        ...


class AuditRepository(Protocol):
    """The append-only audit trail."""

    def append(self, event: AuditEvent) -> None: ...

    def events(
        self, org_id: OrgId, *, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]:
        """Events of ``org_id`` (of one record when ``entity_id`` is given), newest first."""
        ...


class UnitOfWork(Protocol):
    @property
    def organisations(self) -> OrganisationRepository: ...

    @property
    def staff(self) -> StaffRepository: ...

    @property
    def logs(self) -> LogRepository: ...

    @property
    def leads(self) -> LeadRepository: ...

    @property
    def interactions(self) -> InteractionRepository: ...

    @property
    def reminders(self) -> ReminderOutbox: ...

    @property
    def audit(self) -> AuditRepository: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit when the block succeeded, roll back when it raised."""
        ...


class Store(Protocol):
    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; use it as ``with store.unit_of_work() as uow: ...``.

        A ``read_only`` one promises to write nothing, so a store may let it
        run beside a writer instead of waiting for the write lock.
        """
        ...

    def close(self) -> None: ...


class TagExtractor(Protocol):
    """Picks up to ``k`` tags (short phrases a person would search for) from ``text``."""

    def extract(self, text: str, *, k: int = 5, language: str = "en") -> list[str]: ...


class ReminderSink(Protocol):
    """Where reminder requests go: a calendar, a task list, a mail gateway.

    ``name`` is what an organisation's ``ReminderSettings.sink`` names.
    ``deliver`` returns only once the request is durably handed over; any
    exception means "not delivered, try again later", so the outbox keeps it.
    A sink must be idempotent per ``(key, sequence)``: the same request
    delivered twice leaves one reminder. It keeps the highest ``sequence`` of
    a key: a lower one arriving late (delivery is at-least-once, and retries
    reorder) changes nothing. A ``CANCEL`` removes the reminder of its key.
    """

    @property
    def name(self) -> str: ...

    def deliver(self, request: ReminderRequest) -> None: ...
