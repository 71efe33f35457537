"""The lead views of docs/rules.md ("Sales leads") as query values, and what one row of them shows.

Every view is answered as of ``now``, by the aging cutoffs of the
organisation (``domain.leads.aging.aging_cutoffs``): a lead is shown with the
status it has now, even before any sweep has written it.
"""

from __future__ import annotations

from enum import StrEnum

import attrs
from pendulum import DateTime

from contactlog_core.domain.leads.aging import AgingCutoffs
from contactlog_core.domain.leads.model import ArchiveReason, LeadId, LeadStatus, TouchKind
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared.paging import DEFAULT_PER_PAGE, SortField

__all__ = [
    "VIEW_STATUSES",
    "Cue",
    "LeadQuery",
    "LeadRow",
    "LeadSort",
    "LeadView",
    "cue_of",
]


class LeadView(StrEnum):
    """The lists a salesperson works from."""

    TO_BE_SCHEDULED = "to_be_scheduled"
    SCHEDULED = "scheduled"
    LEAD_BANK = "lead_bank"
    ARCHIVED = "archived"


VIEW_STATUSES: dict[LeadView, frozenset[LeadStatus]] = {
    LeadView.TO_BE_SCHEDULED: frozenset(
        {
            LeadStatus.NOT_SCHEDULED,
            LeadStatus.MISSED,
            LeadStatus.PAST_DUE,
            LeadStatus.ABANDONED,
        }
    ),
    LeadView.SCHEDULED: frozenset({LeadStatus.SCHEDULED}),
    LeadView.LEAD_BANK: frozenset({LeadStatus.ABANDONED, LeadStatus.AVAILABLE}),
    LeadView.ARCHIVED: frozenset({LeadStatus.ARCHIVED}),
}
"""The statuses (as of now) each view shows."""


class Cue(StrEnum):
    """The colour a list shows beside a lead that needs attention."""

    YELLOW = "yellow"
    RED = "red"


def cue_of(status: LeadStatus) -> Cue | None:
    """Missed leads are yellow, past due ones red, the rest plain."""
    return {LeadStatus.MISSED: Cue.YELLOW, LeadStatus.PAST_DUE: Cue.RED}.get(status)


class LeadSort(StrEnum):
    """Columns a lead list sorts by."""

    NAME = "name"
    STATUS = "status"
    OWNER_NAME = "owner_name"
    FOLLOW_UP_AT = "follow_up_at"
    LAST_TOUCH_AT = "last_touch_at"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@attrs.frozen
class LeadQuery:
    """Which leads of ``org_id`` a view shows, as of ``cutoffs.now``.

    ``owner`` narrows to one owner's leads (the *To Be Scheduled* and
    *Scheduled* views of one person). ``starts`` / ``ends`` bound the
    follow-up instant (``starts <= follow_up_at < ends``: a calendar week or
    month). ``name_terms`` are folded word prefixes of the lead's name.
    """

    org_id: OrgId
    view: LeadView
    cutoffs: AgingCutoffs
    owner: StaffId | None = None
    starts: DateTime | None = None
    ends: DateTime | None = None
    name_terms: tuple[str, ...] = ()
    sort: tuple[SortField[LeadSort], ...] = (SortField(LeadSort.LAST_TOUCH_AT),)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@attrs.frozen
class LeadRow:
    """A lead as a list shows it now: its current ``status`` and ``cue``.

    ``owner`` is ``None`` for an available lead even before the sweep has
    cleared it: it sits in the lead bank.
    """

    id: LeadId
    name: str
    contact: str
    status: LeadStatus
    cue: Cue | None
    owner: StaffId | None
    owner_name: str | None
    follow_up_at: DateTime | None
    last_touch_at: DateTime
    last_touch_by: StaffId
    last_touch_kind: TouchKind
    archived_reason: ArchiveReason | None
    created_at: DateTime
    updated_at: DateTime
    version: int
