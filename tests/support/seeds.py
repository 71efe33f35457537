"""Fixed instants and people for the unit tests."""

from __future__ import annotations

import pendulum

from contactlog_core import OrgId, Staff, StaffId

NOW = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
ORG = OrgId("northfield")


def make_staff(staff_id: str, role: str, org: str = ORG) -> Staff:
    return Staff(
        id=StaffId(staff_id), org_id=OrgId(org), name=staff_id.title(), role=role, created_at=NOW
    )
