"""Pure transitions of an interaction: ``(interaction, actor, now, ...) -> Change``.

Capture makes one from a checked draft; rename and relink change one field
each; redact empties the content and keeps a tombstone. Every change bumps
``version`` and sets ``updated_at``. No clock, no storage: the caller passes
``now`` and saves the result (and keeps capture idempotent on
``(source, source_ref)``, which needs the store).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Interaction,
    InteractionCommand,
    InteractionDraft,
    InteractionId,
    Redaction,
    check_client,
    check_description,
    check_draft,
    normalise_tags,
)
from contactlog_core.domain.interactions.naming import describe
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.policy import Permission, Policy, require_permission
from contactlog_core.errors import InvalidTransition, NotFound, ValidationError
from contactlog_core.instants import require_aware

__all__ = [
    "InteractionChange",
    "capture",
    "redact",
    "relink",
    "rename",
    "without_content",
]

InteractionChange = Change[Interaction]

REDACTED = "redacted"  # the status an InvalidTransition names for a redacted interaction


def capture(
    *,
    interaction_id: InteractionId,
    actor: Actor,
    now: DateTime,
    draft: InteractionDraft,
    tags: Sequence[str],
    draft_checked: bool = False,
) -> InteractionChange:
    """A new interaction of ``actor``'s organisation from ``draft``, named and tagged.

    The description is the draft's, else ``describe``'s; ``tags`` are the
    draft's own or the extractor's (the service decides), normalised. With
    ``draft_checked``, ``draft`` is what ``check_draft`` returned (a sync job
    checks each draft first, to reject the bad ones with their reasons), and
    checking it twice would only cost time.
    """
    draft = draft if draft_checked else check_draft(draft)
    now = require_aware(now, "now")
    by = actor.staff_id
    captured = Interaction(
        id=InteractionId(check.identifier(interaction_id, "interaction_id")),
        org_id=actor.org_id,
        client=draft.client,
        kind=draft.kind,
        direction=draft.direction,
        counterpart=draft.counterpart,
        subject=draft.subject,
        body=draft.body,
        occurred_at=draft.occurred_at,
        source=draft.source,
        source_ref=draft.source_ref,
        description=_description(draft),
        tags=normalise_tags(tags),
        links=draft.links,
        captured_by=by,
        captured_at=now,
        updated_at=now,
    )
    return Change(command=InteractionCommand.CAPTURE, actor=by, at=now, before=None, after=captured)


def rename(
    interaction: Interaction, actor: Actor, now: DateTime, description: str
) -> InteractionChange:
    """Give the interaction a new description (any staff member of its organisation).

    The same description again is refused, so that no change goes unnoticed
    in the audit trail.
    """
    now = _may_change(interaction, actor, now, InteractionCommand.RENAME)
    renamed = check_description(description)
    if renamed == interaction.description:
        raise ValidationError("description", f"already {renamed!r}")
    return _settle(interaction, InteractionCommand.RENAME, actor, now, description=renamed)


def relink(
    interaction: Interaction, actor: Actor, now: DateTime, client: ClientRef
) -> InteractionChange:
    """Move the interaction to another client; its kind and content stay as they are.

    The client is known by its id: the same id again is refused.
    """
    now = _may_change(interaction, actor, now, InteractionCommand.RELINK)
    moved = check_client(client)
    if moved.id == interaction.client.id:
        raise ValidationError("client", f"already linked to client {moved.id!r}")
    return _settle(interaction, InteractionCommand.RELINK, actor, now, client=moved)


def redact(
    interaction: Interaction, actor: Actor, now: DateTime, policy: Policy
) -> InteractionChange:
    """Drop the content and keep a tombstone (needs ``redact_interaction``).

    Kept: id, organisation, client, kind, direction, when it occurred, its
    source and source reference (so a capture of it again stays a no-op),
    who captured it and when, and its links. Dropped (made empty): subject,
    body, description, counterpart and tags. ``redaction`` records who and when.
    """
    now = _may_change(interaction, actor, now, InteractionCommand.REDACT)
    require_permission(policy, actor, Permission.REDACT_INTERACTION, InteractionCommand.REDACT)
    redaction = Redaction(by=actor.staff_id, at=now)
    return _settle(
        interaction, InteractionCommand.REDACT, actor, now, redaction=redaction, **_NO_CONTENT
    )


_NO_CONTENT: dict[str, Any] = {
    "subject": "",
    "body": "",
    "description": "",
    "counterpart": Counterpart(),
    "tags": (),
}


def without_content(interaction: Interaction) -> Interaction:
    """``interaction`` with its content emptied and nothing else changed.

    What a redaction keeps; also a view of an interaction for anything that
    must not hold its content (an audit snapshot, a log line).
    """
    return attrs.evolve(interaction, **_NO_CONTENT)


def _may_change(
    interaction: Interaction, actor: Actor, now: DateTime, command: InteractionCommand
) -> DateTime:
    # Another organisation's interaction does not exist for the actor; a redacted one
    # has nothing left to change.
    now = require_aware(now, "now")
    if actor.org_id != interaction.org_id:
        raise NotFound("interaction", interaction.id)
    if interaction.redacted:
        raise InvalidTransition(REDACTED, command, interaction.id)
    return now


def _settle(
    interaction: Interaction,
    command: InteractionCommand,
    actor: Actor,
    now: DateTime,
    **changes: Any,
) -> InteractionChange:
    after = attrs.evolve(interaction, updated_at=now, version=interaction.version + 1, **changes)
    return Change(command=command, actor=actor.staff_id, at=now, before=interaction, after=after)


def _description(draft: InteractionDraft) -> str:
    if draft.description is not None:
        return draft.description
    return describe(draft.kind, draft.direction, draft.counterpart, draft.subject, draft.body)
