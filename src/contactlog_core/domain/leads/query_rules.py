"""The lead views over entities in memory: the reference every store's SQL must match."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from contactlog_core.domain.leads.aging import AgingCutoffs, settled_as, status_by_cutoffs
from contactlog_core.domain.leads.model import Lead
from contactlog_core.domain.leads.queries import VIEW_STATUSES, LeadQuery, LeadRow, LeadSort, cue_of
from contactlog_core.domain.organisations.model import Staff
from contactlog_core.domain.shared.paging import Page, ordered, page_of, sort_keys
from contactlog_core.domain.shared.text import name_key, name_matches, sortable_name

__all__ = ["lead_page", "lead_row", "stored_anchor"]


def stored_anchor(lead: Lead) -> Any:
    """The anchor as a store keeps it: right whenever the lead is not scheduled ahead.

    A follow-up still ahead makes the lead ``SCHEDULED`` before the anchor is
    read, so the later of last touch and follow-up can be stored once.
    """
    if lead.follow_up_at is None:
        return lead.last_touch_at
    return max(lead.last_touch_at, lead.follow_up_at)


def lead_row(lead: Lead, cutoffs: AgingCutoffs, staff: Mapping[str, Staff]) -> LeadRow:
    """``lead`` as the views show it at ``cutoffs.now``."""
    as_of_now = settled_as(lead, status_by_cutoffs(lead, cutoffs))
    status, owner = as_of_now.status, as_of_now.owner
    holder = None if owner is None else staff.get(owner)
    return LeadRow(
        id=lead.id,
        name=lead.name,
        contact=lead.contact,
        status=status,
        cue=cue_of(status),
        owner=owner,
        owner_name=None if holder is None else holder.name,
        follow_up_at=lead.follow_up_at,
        last_touch_at=lead.last_touch_at,
        last_touch_by=lead.last_touch_by,
        last_touch_kind=lead.last_touch_kind,
        archived_reason=lead.archived_reason,
        created_at=lead.created_at,
        updated_at=lead.updated_at,
        version=lead.version,
    )


_KEYS = sort_keys(
    LeadSort,
    name=lambda r: name_key(r.name),
    owner_name=lambda r: sortable_name(r.owner_name),
)


def lead_page(query: LeadQuery, leads: Iterable[Lead], staff: Mapping[str, Staff]) -> Page[LeadRow]:
    """The page of ``query``'s view, from all leads (any organisation's: filtered here)."""
    statuses = VIEW_STATUSES[query.view]
    rows = []
    for lead in leads:
        if lead.org_id != query.org_id or not _in_range(lead, query):
            continue
        if query.name_terms and not name_matches(lead.name, query.name_terms):
            continue
        row = lead_row(lead, query.cutoffs, staff)
        if row.status in statuses and (query.owner is None or row.owner == query.owner):
            rows.append(row)
    return page_of(ordered(rows, query.sort, _KEYS, lambda r: r.id), query.page, query.per_page)


def _in_range(lead: Lead, query: LeadQuery) -> bool:
    if query.starts is None and query.ends is None:
        return True
    at = lead.follow_up_at
    if at is None:
        return False
    return (query.starts is None or at >= query.starts) and (query.ends is None or at < query.ends)
