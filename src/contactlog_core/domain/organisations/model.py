"""Organisations, their staff, and the actor every call is made by."""

from __future__ import annotations

import attrs
from pendulum import DateTime

from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.organisations.reminder_settings import ReminderSettings
from contactlog_core.domain.shared.ids import OrgId, StaffId

__all__ = ["Actor", "OrgId", "Organisation", "Staff", "StaffId"]


@attrs.frozen
class Organisation:
    """A tenant: every other record belongs to exactly one.

    ``aging`` says how its sales leads age (days counted in ``timezone``);
    ``reminders`` whether and how follow-ups become calendar reminders.
    """

    id: OrgId
    name: str
    timezone: str
    created_at: DateTime
    version: int = 1
    aging: AgingPolicy = attrs.field(factory=AgingPolicy)
    reminders: ReminderSettings = attrs.field(factory=ReminderSettings)

    def local(self, instant: DateTime) -> DateTime:
        """``instant`` as the organisation's wall clock shows it (instants are stored in UTC)."""
        return instant.in_timezone(self.timezone)


@attrs.frozen
class Staff:
    """A member of one organisation's staff, with one role of the policy."""

    id: StaffId
    org_id: OrgId
    name: str
    role: str
    created_at: DateTime
    version: int = 1


@attrs.frozen
class Actor:
    """Who makes a call: a staff member, with the organisation and role they act in.

    The organisation comes from here, never from an id passed beside it.
    """

    staff_id: StaffId
    org_id: OrgId
    role: str
    name: str = ""

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        """The actor for ``staff``."""
        return cls(staff_id=staff.id, org_id=staff.org_id, role=staff.role, name=staff.name)
