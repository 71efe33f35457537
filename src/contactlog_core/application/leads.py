"""``app.leads``: the sales-lead use cases, the views as of now, and the aging sweep.

Each command is one unit of work: load, settle and decide in the pure domain
(``domain.leads.commands``), save with the version read, append the audit
event. The views and the sweep read the organisation's aging cutoffs at the
clock's ``now``, so nobody ever sees a status the sweep has not written yet
as stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.application.context import Context, Records
from contactlog_core.domain.leads import commands
from contactlog_core.domain.leads.aging import AgingCutoffs, aging_cutoffs, settle
from contactlog_core.domain.leads.model import (
    LEAD_ENTITY,
    ArchiveReason,
    Lead,
    LeadId,
    LeadStatus,
    TouchKind,
)
from contactlog_core.domain.leads.queries import LeadQuery, LeadRow, LeadSort, LeadView
from contactlog_core.domain.organisations.model import Actor, OrgId
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.paging import (
    DEFAULT_PER_PAGE,
    Page,
    page_number,
    page_size,
    parse_sort,
    whole_number,
)
from contactlog_core.domain.shared.text import search_terms
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_aware
from contactlog_core.ports import AgingBatch, AgingRequest, UnitOfWork

__all__ = ["LeadService", "SweepReport"]

MAX_BATCH = 100_000
DEFAULT_BATCH = 10_000

_DEFAULT_SORT: dict[LeadView, tuple[str, ...]] = {
    LeadView.TO_BE_SCHEDULED: ("last_touch_at",),
    LeadView.SCHEDULED: ("follow_up_at",),
    LeadView.LEAD_BANK: ("last_touch_at",),
    LeadView.ARCHIVED: ("-updated_at",),
}


@attrs.frozen
class SweepReport:
    """What a sweep wrote: how many leads moved from which status to which, at ``now``."""

    now: DateTime
    organisations: int
    transitions: Mapping[tuple[LeadStatus, LeadStatus], int]

    @property
    def changed(self) -> int:
        return sum(self.transitions.values())

    def summary(self) -> str:
        """One line for a cron job's log."""
        moves = ", ".join(
            f"{before}->{after}: {n}" for (before, after), n in sorted(self.transitions.items())
        )
        return (
            f"swept {self.organisations} organisation(s) at {self.now.isoformat()}: "
            f"{self.changed} lead(s) changed" + (f" ({moves})" if moves else "")
        )


# (uow, lead, actor) -> the arguments of a command that the unit of work finds.
_LookUp = Callable[[UnitOfWork, Lead, Actor], dict[str, Any]]


def _lead_id(value: object) -> LeadId:
    return LeadId(check.identifier(value, "lead_id"))


LEADS: Records[Lead] = Records(entity=LEAD_ENTITY, repository=lambda uow: uow.leads, key=_lead_id)
"""Leads as the use cases change them."""


class LeadService:
    """Add, schedule, touch, claim, hand over, archive and reactivate leads; list and sweep them."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # --- commands ------------------------------------------------------------------------

    def add(
        self,
        actor: Actor,
        *,
        name: str,
        contact: str = "",
        follow_up_at: DateTime | None = None,
        assignee: str | None = None,
    ) -> Lead:
        """A new lead, owned by ``assignee`` (a colleague's staff id) or else by ``actor``."""

        def decide(uow: UnitOfWork, me: Actor, now: DateTime) -> Change[Lead]:
            org = uow.organisations.get(me.org_id)
            person = None if assignee is None else self._ctx.staff_of(uow, me.org_id, assignee)
            return commands.add(
                lead_id=LeadId(self._ctx.ids()),
                actor=me,
                now=now,
                timezone=org.timezone,
                policy=self._ctx.policy,
                aging=org.aging,
                name=name,
                contact=contact,
                follow_up_at=follow_up_at,
                assignee=person,
            )

        return self._ctx.create(actor, LEADS, decide)

    def schedule(self, actor: Actor, lead_id: str, *, at: DateTime) -> Lead:
        """Set or move the lead's next follow-up to ``at`` (in the future); owner only."""
        return self._run(actor, lead_id, commands.schedule, at=at)

    def touch(
        self, actor: Actor, lead_id: str, *, kind: TouchKind | str = TouchKind.CALL, note: str = ""
    ) -> Lead:
        """Log a call, note, email or meeting; anyone may, and the lead's clock restarts.

        The ``note`` is kept with the audit event.
        """
        note = commands.validate_note(note)
        detail = (lambda _: {"note": note}) if note else None
        return self._run(actor, lead_id, commands.touch, detail=detail, kind=kind)

    def claim(self, actor: Actor, lead_id: str) -> Lead:
        """Take an abandoned or available lead; of two claimers exactly one wins.

        The other gets ``LockedByOther`` naming the winner.
        """
        return self._run(actor, lead_id, commands.claim)

    def assign(self, actor: Actor, lead_id: str, assignee: str) -> Lead:
        """Give the lead to a colleague: its owner may, or anyone who outranks the owner."""

        def assignee_and_owner_role(uow: UnitOfWork, lead: Lead, me: Actor) -> dict[str, Any]:
            person = self._ctx.staff_of(uow, me.org_id, assignee)
            return {"assignee": person, "owner_role": self._owner_role(uow, lead)}

        return self._run(actor, lead_id, commands.assign, looked_up=assignee_and_owner_role)

    def archive(
        self,
        actor: Actor,
        lead_id: str,
        *,
        reason: ArchiveReason | str,
        note: str = "",
    ) -> Lead:
        """Archive the lead as lost or not to be contacted; it is kept and stays searchable."""
        return self._run(
            actor,
            lead_id,
            commands.archive,
            looked_up=lambda uow, lead, _: {"owner_role": self._owner_role(uow, lead)},
            reason=reason,
            note=note,
        )

    def reactivate(self, actor: Actor, lead_id: str) -> Lead:
        """Bring an archived lead back, owned by ``actor`` (needs ``reactivate_lead``)."""
        return self._run(actor, lead_id, commands.reactivate)

    # --- reads ---------------------------------------------------------------------------

    def get(self, actor: Actor, lead_id: str) -> Lead:
        """One lead of ``actor``'s organisation as of now (status aged, no owner once available)."""
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            org = uow.organisations.get(me.org_id)
            lead = uow.leads.get(me.org_id, _lead_id(lead_id))
            return settle(lead, self._ctx.clock.now(), org.timezone, org.aging)

    def to_be_scheduled(
        self,
        actor: Actor,
        *,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[LeadRow]:
        """``actor``'s leads waiting to be scheduled: not scheduled, missed, past due, abandoned.

        Oldest touch first by default; each row has its colour ``cue``.
        """
        return self._view(actor, LeadView.TO_BE_SCHEDULED, sort, page, per_page, mine=True)

    def scheduled(
        self,
        actor: Actor,
        *,
        starts: DateTime | None = None,
        ends: DateTime | None = None,
        everyone: bool = False,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[LeadRow]:
        """Scheduled leads by follow-up date, ``starts <= follow_up_at < ends`` when given.

        ``actor``'s own, or the whole organisation's with ``everyone=True``.
        """
        return self._view(
            actor,
            LeadView.SCHEDULED,
            sort,
            page,
            per_page,
            mine=not _flag(everyone, "everyone"),
            starts=None if starts is None else require_aware(starts, "starts"),
            ends=None if ends is None else require_aware(ends, "ends"),
        )

    def lead_bank(
        self,
        actor: Actor,
        *,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[LeadRow]:
        """The organisation's abandoned and available leads: anyone may claim them."""
        return self._view(actor, LeadView.LEAD_BANK, sort, page, per_page, mine=False)

    def archived(
        self,
        actor: Actor,
        *,
        search: str | None = None,
        sort: Sequence[str] | str | None = None,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> Page[LeadRow]:
        """Archived leads of the organisation; ``search`` matches the name as one types."""
        return self._view(
            actor,
            LeadView.ARCHIVED,
            sort,
            page,
            per_page,
            mine=False,
            name_terms=search_terms(search, "search"),
        )

    # --- the sweep -----------------------------------------------------------------------

    def sweep(
        self,
        *,
        org_id: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[AgingBatch], object] | None = None,
    ) -> SweepReport:
        """Write every lead's aged status as of now; one audit event per changed lead.

        Runs organisation by organisation, ``batch_size`` leads per transaction,
        so other writers get in between batches and memory stays flat.
        ``progress`` is called after each batch. A second sweep at the same
        instant changes nothing.
        """
        size = whole_number(batch_size, "batch_size", MAX_BATCH)
        now = self._ctx.clock.now()
        with self._ctx.store.unit_of_work(read_only=True) as uow:
            if org_id is None:
                orgs = list(uow.organisations.list())
            else:
                orgs = [uow.organisations.get(OrgId(check.identifier(org_id, "org_id")))]
        totals: dict[tuple[LeadStatus, LeadStatus], int] = {}
        for org in orgs:
            cutoffs = aging_cutoffs(now, org.timezone, org.aging)
            for batch in self._sweep_org(org.id, cutoffs, size):
                for move, n in batch.transitions.items():
                    totals[move] = totals.get(move, 0) + n
                if progress is not None:
                    progress(batch)
        return SweepReport(now=now, organisations=len(orgs), transitions=totals)

    def _sweep_org(self, org_id: OrgId, cutoffs: AgingCutoffs, size: int) -> Any:
        request = AgingRequest(org_id, cutoffs, after=None, size=size, new_id=self._ctx.ids)
        while True:
            with self._ctx.store.unit_of_work() as uow:
                batch = uow.leads.age_batch(request)
            yield batch
            if batch.next is None:
                return
            request = attrs.evolve(request, after=batch.next)

    # --- plumbing ------------------------------------------------------------------------

    def _view(
        self,
        actor: Actor,
        view: LeadView,
        sort: Sequence[str] | str | None,
        page: int,
        per_page: int,
        *,
        mine: bool,
        **filters: Any,
    ) -> Page[LeadRow]:
        order = parse_sort(sort, LeadSort, _DEFAULT_SORT[view])
        page, per_page = page_number(page), page_size(per_page)
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            org = uow.organisations.get(me.org_id)
            query = LeadQuery(
                org_id=me.org_id,
                view=view,
                cutoffs=aging_cutoffs(self._ctx.clock.now(), org.timezone, org.aging),
                owner=me.staff_id if mine else None,
                sort=order,
                page=page,
                per_page=per_page,
                **filters,
            )
            return uow.leads.page(query)

    def _run(
        self,
        actor: Actor,
        lead_id: str,
        command: Callable[..., Change[Lead]],
        *,
        looked_up: _LookUp | None = None,
        detail: Callable[[Change[Lead]], dict[str, Any] | None] | None = None,
        **arguments: Any,
    ) -> Lead:
        """``command`` on the lead, as ``actor``, in the lead's organisation's zone and aging.

        ``looked_up`` adds the arguments the unit of work must find (a colleague,
        the owner's role) once the lead is loaded.
        """

        def decide(uow: UnitOfWork, lead: Lead, me: Actor, now: DateTime) -> Change[Lead]:
            org = uow.organisations.get(me.org_id)
            found = {} if looked_up is None else looked_up(uow, lead, me)
            return command(
                lead, me, now, org.timezone, self._ctx.policy, aging=org.aging, **arguments, **found
            )

        return self._ctx.change(actor, LEADS, lead_id, decide, detail=detail)

    def _owner_role(self, uow: UnitOfWork, lead: Lead) -> str | None:
        return self._ctx.role_of(uow, lead.org_id, lead.owner)


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, f"expected True or False, got {value!r:.40}")
    return value
