"""``app.interactions``: capture (one or a sync job's thousands), rename, relink, redact, list.

Capture is idempotent on ``(organisation, source, source_ref)``: the same
message captured again returns the stored interaction and writes nothing.
Naming and tagging run before the unit of work opens, so the write lock is
held only for the writes. Audit snapshots of an interaction never hold its
content (``without_content``): the trail must not keep what a redaction drops.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
from pendulum import DateTime

from contactlog_core.application.context import Context, Records
from contactlog_core.domain.interactions import commands
from contactlog_core.domain.interactions.model import (
    ClientRef,
    Interaction,
    InteractionDraft,
    InteractionId,
    InteractionKind,
    check_draft,
    draft_from_mapping,
    normalise_tags,
)
from contactlog_core.domain.interactions.queries import (
    InteractionPage,
    InteractionQuery,
    parse_interaction_sort,
)
from contactlog_core.domain.interactions.search import parse_search
from contactlog_core.domain.organisations.model import Actor
from contactlog_core.domain.shared import validation as check
from contactlog_core.domain.shared.audit import AuditEvent
from contactlog_core.domain.shared.events import Change
from contactlog_core.domain.shared.paging import (
    DEFAULT_PER_PAGE,
    page_number,
    page_size,
    whole_number,
)
from contactlog_core.errors import ConcurrencyConflict, ContactLogError, ValidationError
from contactlog_core.exports import FORMATS, Target
from contactlog_core.ports import TagExtractor, UnitOfWork
from contactlog_core.serialization import instant_text

__all__ = [
    "CaptureReport",
    "InteractionDetail",
    "InteractionService",
    "Rejection",
]

MAX_BATCH = 10_000
DEFAULT_BATCH = 500
MAX_HISTORY = 1_000
ENTITY = "interaction"


def _interaction_id(value: object) -> InteractionId:
    return InteractionId(check.identifier(value, "interaction_id"))


def content_free_snapshot(interaction: Interaction) -> dict[str, Any]:
    """``unstructure(without_content(interaction))``: what the audit trail keeps of it.

    Built field by field, because every capture writes one and the general
    converter takes several times as long; a property test holds the two equal,
    key order included.
    """
    i, redaction = interaction, interaction.redaction
    return {
        "id": i.id,
        "org_id": i.org_id,
        "client": {"id": i.client.id, "name": i.client.name},
        "kind": i.kind.value,
        "direction": i.direction.value,
        "counterpart": {"name": "", "address": ""},
        "subject": "",
        "body": "",
        "occurred_at": instant_text(i.occurred_at),
        "source": i.source,
        "source_ref": i.source_ref,
        "description": "",
        "tags": [],
        "links": {"log_id": i.links.log_id, "lead_id": i.links.lead_id},
        "captured_by": i.captured_by,
        "captured_at": instant_text(i.captured_at),
        "updated_at": instant_text(i.updated_at),
        "redaction": None
        if redaction is None
        else {"by": redaction.by, "at": instant_text(redaction.at)},
        "version": i.version,
    }


INTERACTIONS: Records[Interaction] = Records(
    entity=ENTITY,
    repository=lambda uow: uow.interactions,
    key=_interaction_id,
    snapshot=content_free_snapshot,
)
"""Interactions as the use cases change them; the trail never keeps their content."""


@attrs.frozen
class Rejection:
    """An item a capture refused: its position in the input, and why."""

    index: int
    field: str
    reason: str
    source_ref: str | None = None


@attrs.frozen
class CaptureReport:
    """What a ``capture_many`` did: how many were new, how many already there, which refused."""

    captured: int = 0
    duplicates: int = 0
    rejected: tuple[Rejection, ...] = ()

    @property
    def seen(self) -> int:
        return self.captured + self.duplicates + len(self.rejected)

    def summary(self) -> str:
        """One line for a sync job's log."""
        return (
            f"{self.seen} item(s): {self.captured} captured, {self.duplicates} already there, "
            f"{len(self.rejected)} rejected"
        )


@attrs.frozen
class InteractionDetail:
    """One interaction with its trail of changes, newest first."""

    interaction: Interaction
    history: tuple[AuditEvent, ...]


@attrs.frozen
class _Prepared:
    # A checked draft with its tags: all that capture still needs is the store.
    draft: InteractionDraft
    tags: tuple[str, ...]


class InteractionService:
    """Capture interactions, name and tag them, correct and redact them, find them as one types."""

    def __init__(self, ctx: Context, tags: TagExtractor) -> None:
        self._ctx = ctx
        self._tags = tags

    # --- capture ---------------------------------------------------------------------------

    def capture(self, actor: Actor, draft: InteractionDraft | Mapping[str, Any]) -> Interaction:
        """The interaction ``draft`` describes, captured once.

        ``draft`` is an ``InteractionDraft`` or plain data (``draft_from_mapping``).
        Already captured from the same ``(source, source_ref)``: the stored
        one is returned and nothing is written.
        """
        prepared = self._prepare(draft)
        for attempt in (1, 2):
            try:
                with self._ctx.acting(actor) as (uow, me):
                    checked = prepared.draft
                    stored = uow.interactions.find_by_source(
                        me.org_id, checked.source, checked.source_ref
                    )
                    return stored or self._capture(uow, me, prepared)
            except ConcurrencyConflict:
                # Another capture of the same message committed first: it is the stored one.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def capture_many(
        self,
        actor: Actor,
        items: Iterable[InteractionDraft | Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[CaptureReport], None] | None = None,
    ) -> CaptureReport:
        """Capture every item, ``batch_size`` per transaction, for a sync job.

        Items are read lazily, so memory stays flat however many there are.
        An item that is not valid is rejected with its reason and the rest go
        on; a batch that fails in the store is not written at all and the
        error is raised (with the report of the batches before it lost only
        in the exception: rerun the job, captures are idempotent).
        ``progress`` gets the running report after each batch.
        """
        size = whole_number(batch_size, "batch_size", MAX_BATCH)
        if not isinstance(items, Iterable) or isinstance(items, str | bytes | Mapping):
            raise ValidationError(
                "items", f"expected an iterable of drafts, got {type(items).__name__}"
            )
        if progress is not None and not callable(progress):
            raise ValidationError("progress", "expected a callable or None")
        report = CaptureReport()
        numbered = enumerate(items)
        while batch := list(itertools.islice(numbered, size)):
            report = self._capture_batch(actor, batch, report)
            if progress is not None:
                progress(report)
        return report

    def _capture_batch(
        self, actor: Actor, batch: Sequence[tuple[int, object]], report: CaptureReport
    ) -> CaptureReport:
        ready: list[_Prepared] = []
        rejected = list(report.rejected)
        for index, item in batch:
            try:
                ready.append(self._prepare(item))
            except ValidationError as e:
                rejected.append(Rejection(index, e.field, e.reason, _source_ref(item)))
        captured = duplicates = 0
        with self._ctx.acting(actor) as (uow, me):
            refs = [(p.draft.source, p.draft.source_ref) for p in ready]
            stored = uow.interactions.find_by_sources(me.org_id, refs)
            for ref, prepared in zip(refs, ready, strict=True):
                if ref in stored:  # captured before, or earlier in this batch
                    duplicates += 1
                    continue
                stored[ref] = self._capture(uow, me, prepared)
                captured += 1
        return CaptureReport(
            captured=report.captured + captured,
            duplicates=report.duplicates + duplicates,
            rejected=tuple(rejected),
        )

    def _prepare(self, item: object) -> _Prepared:
        draft = draft_from_mapping(item) if isinstance(item, Mapping) else check_draft(item)
        if draft.tags is not None:
            return _Prepared(draft, draft.tags)
        try:
            found = self._tags.extract(f"{draft.subject}\n{draft.body}", k=5)
        except ContactLogError:
            raise
        except Exception as e:
            raise ValidationError(
                "tags", f"the tag extractor failed: {type(e).__name__}: {e}"
            ) from e
        return _Prepared(draft, normalise_tags(found))

    def _capture(self, uow: UnitOfWork, me: Actor, prepared: _Prepared) -> Interaction:
        """``prepared`` stored, named and audited; the caller knows it is not stored yet."""
        change = commands.capture(
            interaction_id=InteractionId(self._ctx.ids()),
            actor=me,
            now=self._ctx.clock.now(),
            draft=prepared.draft,
            tags=prepared.tags,
            draft_checked=True,
        )
        uow.interactions.add(change.after)
        self._ctx.recorded(uow, me.org_id, INTERACTIONS, change)
        return change.after

    # --- corrections -----------------------------------------------------------------------

    def rename(self, actor: Actor, interaction_id: str, description: str) -> Interaction:
        """Give it a new description; the audit event keeps the old and the new one."""
        return self._run(
            actor,
            interaction_id,
            lambda i, me, now: commands.rename(i, me, now, description),
            detail=lambda change: {
                "from": change.before.description if change.before else "",
                "to": change.after.description,
            },
        )

    def relink(
        self, actor: Actor, interaction_id: str, client: ClientRef | Mapping[str, Any]
    ) -> Interaction:
        """Move it to the right client (``ClientRef`` or ``{"id": ..., "name": ...}``)."""
        if isinstance(client, Mapping):
            client = _client_from(client)
        return self._run(
            actor, interaction_id, lambda i, me, now: commands.relink(i, me, now, client)
        )

    def redact(self, actor: Actor, interaction_id: str) -> Interaction:
        """Drop its content for good and keep a tombstone (needs ``redact_interaction``).

        Search no longer finds it by any word of its content; its id and date still do.
        """
        return self._run(
            actor,
            interaction_id,
            lambda i, me, now: commands.redact(i, me, now, self._ctx.policy),
        )

    def _run(
        self,
        actor: Actor,
        interaction_id: str,
        decide: Callable[[Interaction, Actor, DateTime], Change[Interaction]],
        detail: Callable[[Change[Interaction]], dict[str, Any] | None] | None = None,
    ) -> Interaction:
        return self._ctx.change(
            actor,
            INTERACTIONS,
            interaction_id,
            lambda _uow, interaction, me, now: decide(interaction, me, now),
            detail=detail,
        )

    # --- reads -----------------------------------------------------------------------------

    def get(self, actor: Actor, interaction_id: str) -> Interaction:
        """One interaction of ``actor``'s organisation."""
        key = _interaction_id(interaction_id)
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            return uow.interactions.get(me.org_id, key)

    def detail(self, actor: Actor, interaction_id: str) -> InteractionDetail:
        """The interaction with its tags, links and trail of changes (newest first)."""
        key = _interaction_id(interaction_id)
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            interaction = uow.interactions.get(me.org_id, key)
            history = uow.audit.events(me.org_id, entity_id=key, limit=MAX_HISTORY)
            return InteractionDetail(interaction, tuple(history))

    def list(
        self,
        actor: Actor,
        *,
        search: str | None = None,
        client_id: str | None = None,
        kinds: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        sort: Sequence[str] | str | None = None,
        group_by_kind: bool = False,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> InteractionPage:
        """A page of the organisation's interactions (one client's with ``client_id``).

        Newest first by default. ``search`` is what someone typed: every word
        must be the start of a word of the description, a tag, the id or the
        date (``2026-11``); case and accents do not matter; nothing typed is
        syntax, and text without a single word is a ``ValidationError``.
        ``sort`` names columns of ``InteractionSort`` (``-`` for descending);
        ``group_by_kind`` keeps each kind together. The page's ``total``
        counts up to ``MAX_COUNT`` matches.
        """
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            query = self._query(
                uow, me, search, client_id, kinds, sort, group_by_kind, page, per_page
            )
            return uow.interactions.page(query)

    def export(
        self,
        actor: Actor,
        target: Target,
        *,
        format: str = "csv",
        search: str | None = None,
        client_id: str | None = None,
        kinds: InteractionKind | str | Iterable[InteractionKind | str] | None = None,
        sort: Sequence[str] | str | None = None,
        group_by_kind: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write every interaction ``list`` would show (all pages) to ``target``; return the count.

        ``format`` is ``"csv"``, ``"xlsx"``, ``"pdf"`` or ``"html"`` (see
        ``contactlog_core.exports``); ``target`` a path or a binary file.
        Interactions are read lazily in one read-only unit of work, so an
        export is one consistent snapshot and, newest first (the default
        order), runs in constant memory. ``progress`` gets the running count.
        """
        if not isinstance(format, str) or format not in FORMATS:
            raise ValidationError(
                "format", f"expected one of {', '.join(FORMATS)}, got {format!r:.40}"
            )
        with self._ctx.acting(actor, read_only=True) as (uow, me):
            query = self._query(uow, me, search, client_id, kinds, sort, group_by_kind)
            return FORMATS[format](
                uow.interactions.stream(query),
                target,
                timezone=query.timezone,
                progress=progress,
            )

    def _query(
        self,
        uow: UnitOfWork,
        me: Actor,
        search: object,
        client_id: object,
        kinds: object,
        sort: object,
        group_by_kind: object,
        page: object = 1,
        per_page: object = DEFAULT_PER_PAGE,
    ) -> InteractionQuery:
        if not isinstance(group_by_kind, bool):
            raise ValidationError(
                "group_by_kind", f"expected True or False, got {group_by_kind!r:.40}"
            )
        return InteractionQuery(
            org_id=me.org_id,
            search=None if search is None else parse_search(search),
            timezone=uow.organisations.get(me.org_id).timezone,
            client_id=None if client_id is None else check.identifier(client_id, "client_id"),
            kinds=_kinds(kinds),
            sort=parse_interaction_sort(sort),
            group_by_kind=group_by_kind,
            page=page_number(page),
            per_page=page_size(per_page),
        )


def _client_from(data: Mapping[str, Any]) -> ClientRef:
    unknown = set(data) - {"id", "name"}
    if unknown:
        raise ValidationError("client", f"unknown field {sorted(map(str, unknown))[0]!r:.60}")
    if "id" not in data or "name" not in data:
        raise ValidationError("client", "expected an id and a name")
    return ClientRef(id=data["id"], name=data["name"])


def _kinds(value: object) -> frozenset[InteractionKind]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        raise ValidationError("kinds", f"expected a kind or several, got {type(value).__name__}")
    return frozenset(check.choice(kind, InteractionKind, "kinds") for kind in value)


def _source_ref(item: object) -> str | None:
    ref = item.get("source_ref") if isinstance(item, Mapping) else getattr(item, "source_ref", None)
    return ref[:200] if isinstance(ref, str) else None
