"""A lead's status now, in SQL: ``domain.leads.aging.status_by_cutoffs`` as one expression.

Named parameters ``:now``, ``:past_due``, ``:abandoned`` and ``:available``
come from ``cutoff_params``; the table is aliased ``d``.
"""

from __future__ import annotations

from contactlog_core.domain.leads.aging import AgingCutoffs
from contactlog_core.instants import to_micros

__all__ = ["NOW_OWNER", "NOW_STATUS", "cutoff_params"]

# The status as of :now, by the cutoffs: domain.leads.aging.status_by_cutoffs, in SQL.
NOW_STATUS = """CASE
    WHEN d.archived_reason IS NOT NULL THEN 'ARCHIVED'
    WHEN d.follow_up_at > :now THEN 'SCHEDULED'
    WHEN d.anchor_at <= :available THEN 'AVAILABLE'
    WHEN d.anchor_at <= :abandoned THEN 'ABANDONED'
    WHEN d.anchor_at <= :past_due THEN 'PAST_DUE'
    WHEN d.follow_up_at IS NOT NULL THEN 'MISSED'
    ELSE 'NOT_SCHEDULED' END"""
# An available lead has no owner, whether or not the sweep has cleared it yet.
NOW_OWNER = f"CASE WHEN ({NOW_STATUS}) = 'AVAILABLE' THEN NULL ELSE d.owner END"


def cutoff_params(cutoffs: AgingCutoffs) -> dict[str, int]:
    """The cutoffs as the named parameters ``NOW_STATUS`` reads."""
    return {
        "now": to_micros(cutoffs.now),
        "past_due": to_micros(cutoffs.past_due),
        "abandoned": to_micros(cutoffs.abandoned),
        "available": to_micros(cutoffs.available),
    }
