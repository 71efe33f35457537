"""The app both state machines drive: replayable ids, four colleagues of two ranks, an outsider."""

from __future__ import annotations

import itertools

from contactlog_core.application import ContactLogApp
from contactlog_core.clock import Clock
from contactlog_core.domain.organisations.model import Actor, OrgId
from contactlog_core.domain.shared.policy import Policy
from contactlog_core.ports import Store

__all__ = ["STAFF", "colleagues", "outsider", "replayable_app"]

# Two of each role, so that equal rank and outranking both come up often.
STAFF = (
    ("Ann", "office_admin"),
    ("Ben", "office_admin"),
    ("Cat", "school_admin"),
    ("Dan", "school_admin"),
)


def replayable_app(store: Store, clock: Clock, policy: Policy) -> ContactLogApp:
    """The app on ``store``, its ids from a counter: Hypothesis replays need the same ids."""
    counter = itertools.count(1)
    return ContactLogApp(store, clock=clock, policy=policy, ids=lambda: f"id{next(counter):06d}")


def colleagues(app: ContactLogApp, org_id: OrgId) -> list[Actor]:
    """The ``STAFF`` added to the organisation, as actors, in order."""
    return [app.actor(app.staff.add(org_id, name=n, role=r).id) for n, r in STAFF]


def outsider(app: ContactLogApp, org_name: str, timezone: str = "UTC") -> Actor:
    """Eve, a school admin of a new organisation: someone whom the machine's records must elude."""
    other = app.organisations.create(org_name, timezone=timezone)
    return app.actor(app.staff.add(other.id, name="Eve", role="school_admin").id)
