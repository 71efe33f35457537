"""Creating organisations and adding their staff: the host app's set-up calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from contactlog_core.application.context import Context
from contactlog_core.domain.organisations.aging_policy import AgingPolicy
from contactlog_core.domain.organisations.model import Actor, Organisation, OrgId, Staff, StaffId
from contactlog_core.domain.organisations.reminder_settings import (
    ReminderSettings,
    check_reminder_settings,
)
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_timezone

__all__ = ["OrganisationService", "StaffService"]

MAX_NAME = 200


class OrganisationService:
    """``app.organisations``: create and read organisations."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def create(self, name: str, *, timezone: str = "UTC") -> Organisation:
        """A new organisation, whose records are shown in ``timezone`` (an IANA name)."""
        org = Organisation(
            id=OrgId(self._ctx.ids()),
            name=check.text(name, "name", max_length=MAX_NAME),
            timezone=require_timezone(timezone),
            created_at=self._ctx.clock.now(),
        )
        with self._ctx.store.unit_of_work() as uow:
            uow.organisations.add(org)
            change = Change(command="create", actor=None, at=org.created_at, before=None, after=org)
            self._ctx.audit(uow, org.id, "organisation", change)
        return org

    def set_aging(self, org_id: str, aging: AgingPolicy) -> Organisation:
        """Change how the organisation's leads age; views and the next sweep follow at once."""
        if not isinstance(aging, AgingPolicy):
            raise ValidationError("aging", f"expected an AgingPolicy, got {type(aging).__name__}")
        return self._settle(org_id, "set_aging", aging=aging)

    def set_reminders(
        self, org_id: str, settings: ReminderSettings | Mapping[str, Any]
    ) -> Organisation:
        """Change the organisation's reminder settings (or a mapping of their fields).

        The sink must be one the app knows (``ContactLogApp(reminder_sinks=...)``,
        besides ``"ical"`` and ``"collecting"``). Changes apply from the next
        save of each log; reminders already sent stay until then.
        """
        checked = check_reminder_settings(settings, self._ctx.sinks)
        return self._settle(org_id, "set_reminders", reminders=checked)

    def _settle(self, org_id: str, command: str, **settings: Any) -> Organisation:
        # The host app's own set-up call: no actor, so nobody to re-read.
        with self._ctx.store.unit_of_work() as uow:
            org = uow.organisations.get(OrgId(check.identifier(org_id, "org_id")))
            changed = attrs.evolve(org, **settings, version=org.version + 1)
            uow.organisations.update(changed, expected_version=org.version)
            at = self._ctx.clock.now()
            change = Change(command=command, actor=None, at=at, before=org, after=changed)
            self._ctx.audit(uow, org.id, "organisation", change)
        return changed

    def get(self, org_id: str) -> Organisation:
        """The organisation with this id, or ``NotFound``."""
        with self._ctx.store.unit_of_work(read_only=True) as uow:
            return uow.organisations.get(OrgId(check.identifier(org_id, "org_id")))


class StaffService:
    """``app.staff``: the people who act on logs."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def add(self, org_id: str, *, name: str, role: str) -> Staff:
        """A new staff member of ``org_id`` with a role of the policy."""
        now = self._ctx.clock.now()
        staff = Staff(
            id=StaffId(self._ctx.ids()),
            org_id=OrgId(check.identifier(org_id, "org_id")),
            name=check.text(name, "name", max_length=MAX_NAME),
            role=self._ctx.policy.role(check.text(role, "role", max_length=MAX_NAME)).name,
            created_at=now,
        )
        with self._ctx.store.unit_of_work() as uow:
            uow.organisations.get(staff.org_id)
            uow.staff.add(staff)
            change = Change(command="add", actor=None, at=now, before=None, after=staff)
            self._ctx.audit(uow, staff.org_id, "staff", change)
        return staff

    def get(self, actor: Actor, staff_id: str) -> Staff:
        """A colleague of ``actor``, or ``NotFound``."""
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return self._ctx.staff_of(uow, me.org_id, staff_id)

    def list(self, actor: Actor) -> list[Staff]:
        """Everyone in ``actor``'s organisation, by name."""
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return list(uow.staff.list(me.org_id))
