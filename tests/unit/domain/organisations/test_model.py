"""Organisations, their staff, and the actor every call is made by."""

from __future__ import annotations

import pendulum

from contactlog_core import Actor, Organisation, OrgId
from tests.support.seeds import make_staff

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")


def test_an_organisation_shows_stored_utc_instants_on_its_own_wall_clock() -> None:
    org = Organisation(id=OrgId("o"), name="Northfield", timezone="Europe/London", created_at=START)
    summer = pendulum.datetime(2026, 7, 1, 8, 30, tz="UTC")
    assert org.local(summer).isoformat() == "2026-07-01T09:30:00+01:00"
    assert org.local(START).isoformat() == "2026-11-02T09:00:00+00:00"


def test_an_actor_made_from_staff_carries_their_name() -> None:
    actor = Actor.of(make_staff("alice", "office_admin"))
    assert (actor.staff_id, actor.org_id, actor.role, actor.name) == (
        "alice",
        "northfield",
        "office_admin",
        "Alice",
    )
