"""``app.audit``: reading the trail of changes."""

from __future__ import annotations

from contactlog_core.application.context import Context
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.errors import ValidationError

__all__ = ["AuditService"]

MAX_EVENTS = 1_000


class AuditService:
    """``app.audit``: the trail of every change, per organisation and per record."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def events(
        self, actor: Actor, *, entity_id: str | None = None, limit: int = 100
    ) -> list[AuditEvent]:
        """Events of ``actor``'s organisation (or of one record), newest first."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_EVENTS:
            raise ValidationError("limit", f"expected 1 to {MAX_EVENTS}, got {limit!r}")
        if entity_id is not None:
            entity_id = check.identifier(entity_id, "entity_id")
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return list(uow.audit.events(me.org_id, entity_id=entity_id, limit=limit))
