"""The audit record: who did what to which record, when, and what it looked like before and after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.ids import OrgId, StaffId
from contactlog_core.serialization import unstructure

__all__ = ["AuditEvent", "Snapshot", "audit_event"]

Snapshot = Callable[[Any], dict[str, Any]]
"""What the trail keeps of a record: a JSON-ready dict (``unstructure`` unless a kind says less)."""


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


def audit_event(
    change: Change[Any],
    *,
    event_id: str,
    org_id: OrgId,
    entity: str,
    snapshot: Snapshot = unstructure,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """The event that records ``change`` of one ``entity`` (``"log"``, ``"lead"``...).

    Every change is recorded through here, the sweep's included, so every
    event of the trail has the same shape whoever wrote it.
    """
    after = change.after
    return AuditEvent(
        id=event_id,
        org_id=org_id,
        entity=entity,
        entity_id=str(after.id),
        command=str(change.command),
        actor=change.actor,
        at=change.at,
        before=None if change.before is None else snapshot(change.before),
        after=snapshot(after),
        detail=detail,
    )
