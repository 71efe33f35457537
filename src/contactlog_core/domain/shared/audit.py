"""The audit record: who did what to which record, when, and what it looked like before and after."""

from __future__ import annotations

from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.organisations.model import OrgId, StaffId

__all__ = ["AuditEvent"]


@attrs.frozen
class AuditEvent:
    """One appended fact. ``before``/``after`` are JSON-ready snapshots (``None`` when absent).

    ``actor`` is ``None`` for set-up calls made by the host app itself
    (creating an organisation or adding staff) and for the aging sweep.
    ``detail`` holds what the command said beside the change (a touch's note).
    """

    id: str
    org_id: OrgId
    entity: str
    entity_id: str
    command: str
    actor: StaffId | None
    at: DateTime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: dict[str, Any] | None = None
