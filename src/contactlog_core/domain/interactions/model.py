"""Captured interactions (docs/rules.md, "Interactions"): an email, SMS, call or note about one client.

An interaction arrives from elsewhere (a mail sync, an SMS gateway, a call
system) as an ``InteractionDraft``; ``check_draft`` and
``draft_from_mapping`` are the gate every draft passes. The kind and the
content never change once captured: only the description can be renamed and
the client relinked, and a redaction drops the content but keeps the record.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, NewType

import attrs
from pendulum import DateTime

from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.domain.shared import validation as check
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_aware

__all__ = [
    "MAX_BODY",
    "MAX_DESCRIPTION",
    "MAX_SUBJECT",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "ClientRef",
    "Counterpart",
    "Direction",
    "Interaction",
    "InteractionCommand",
    "InteractionDraft",
    "InteractionId",
    "InteractionKind",
    "InteractionLinks",
    "Redaction",
    "check_client",
    "check_description",
    "check_draft",
    "draft_from_mapping",
    "normalise_tag",
    "normalise_tags",
]

InteractionId = NewType("InteractionId", str)

MAX_DESCRIPTION = 80
MAX_SUBJECT = 500
MAX_BODY = 200_000
MAX_NAME = 200  # a client's or counterpart's name, a counterpart's address
MAX_SOURCE = 200  # source and source_ref
MAX_TAGS = 5
MAX_TAG_LENGTH = 60
MAX_INSTANT_TEXT = 64  # an ISO 8601 instant given as text


class InteractionKind(StrEnum):
    """What sort of interaction it was; fixed once captured."""

    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    CALL = "call"
    NOTE = "note"
    MEETING = "meeting"
    OTHER = "other"


class Direction(StrEnum):
    """Who started it: the client (inbound), the staff (outbound), or nobody outside (internal)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class InteractionCommand(StrEnum):
    """The commands of an interaction, as ``Change.command`` names them."""

    CAPTURE = "capture"
    RENAME = "rename"
    RELINK = "relink"
    REDACT = "redact"


@attrs.frozen
class ClientRef:
    """The host app's client the interaction is about: its id and display name."""

    id: str
    name: str


@attrs.frozen
class Counterpart:
    """The other party as the source saw it: a name, an email address or phone number."""

    name: str = ""
    address: str = ""


@attrs.frozen
class InteractionLinks:
    """Records of this library the interaction belongs with, if any."""

    log_id: str | None = None
    lead_id: str | None = None


@attrs.frozen
class Redaction:
    """Who redacted an interaction, and when."""

    by: StaffId
    at: DateTime


@attrs.frozen
class Interaction:
    """One captured interaction with a client, auto-named and tagged.

    Captured once per ``(source, source_ref)``; never deleted. A redacted
    interaction is a tombstone: its subject, body, description, counterpart
    and tags are empty, and ``redaction`` says who emptied them and when.
    """

    id: InteractionId
    org_id: OrgId
    client: ClientRef
    kind: InteractionKind
    direction: Direction
    counterpart: Counterpart
    subject: str
    body: str
    occurred_at: DateTime
    source: str
    source_ref: str
    description: str
    tags: tuple[str, ...]
    links: InteractionLinks
    captured_by: StaffId
    captured_at: DateTime
    updated_at: DateTime
    redaction: Redaction | None = None
    version: int = 1

    @property
    def redacted(self) -> bool:
        """True once the content has been redacted."""
        return self.redaction is not None


@attrs.frozen
class InteractionDraft:
    """An interaction as a capture asks for it; the library gives it an id and a name.

    ``description=None`` has it named from its content (``naming.describe``);
    ``tags=None`` has them extracted from its content by the service's
    ``TagExtractor``. A draft built by hand is checked by ``check_draft`` when
    captured; ``draft_from_mapping`` checks one made of plain data.
    """

    client: ClientRef
    kind: InteractionKind
    source: str
    source_ref: str
    occurred_at: DateTime
    direction: Direction = Direction.INBOUND
    counterpart: Counterpart = Counterpart()
    subject: str = ""
    body: str = ""
    description: str | None = None
    links: InteractionLinks = InteractionLinks()
    tags: tuple[str, ...] | None = None


def normalise_tag(text: object) -> str:
    """A tag as stored: casefolded, NFC, trimmed, inner whitespace collapsed.

    >>> normalise_tag("  Boiler   SERVICE ")
    'boiler service'

    Empty or longer than ``MAX_TAG_LENGTH`` characters: ``ValidationError``.
    """
    if not isinstance(text, str):
        raise ValidationError("tags", f"a tag must be text, got {type(text).__name__}")
    tag = " ".join(unicodedata.normalize("NFC", text.casefold()).split())
    checked = check.text(tag, "tags", max_length=MAX_TAG_LENGTH, required=False)
    if not checked:
        raise ValidationError("tags", "a tag must not be empty")
    return checked


def normalise_tags(tags: object) -> tuple[str, ...]:
    """Each tag normalised, duplicates dropped (first kept), at most ``MAX_TAGS`` kept.

    >>> normalise_tags(["Invoice", "invoice ", "Roof", "a", "b", "c", "d"])
    ('invoice', 'roof', 'a', 'b', 'c')

    Every tag is checked, the dropped ones too: one bad tag refuses them all.
    """
    if isinstance(tags, str | bytes) or not isinstance(tags, Sequence):
        raise ValidationError("tags", f"expected a list of tags, got {type(tags).__name__}")
    kept: dict[str, None] = {}
    for tag in tags:
        kept.setdefault(normalise_tag(tag), None)
    return tuple(kept)[:MAX_TAGS]


def check_description(value: object) -> str:
    """A description as a person or a sync gives it: non-empty, at most 80 characters."""
    return check.text(value, "description", max_length=MAX_DESCRIPTION)


def check_client(value: object, field: str = "client") -> ClientRef:
    """A ``ClientRef`` with an id (printable, at most 128 characters) and a name."""
    if not isinstance(value, ClientRef):
        raise ValidationError(field, f"expected a ClientRef, got {type(value).__name__}")
    return ClientRef(
        id=check.identifier(value.id, f"{field}.id"),
        name=check.text(value.name, f"{field}.name", max_length=MAX_NAME),
    )


def check_draft(draft: object) -> InteractionDraft:
    """``draft`` with every field checked and trimmed, or the ``ValidationError`` naming the field."""
    if not isinstance(draft, InteractionDraft):
        raise ValidationError("draft", f"expected an InteractionDraft, got {type(draft).__name__}")
    return InteractionDraft(
        client=check_client(draft.client),
        kind=check.choice(draft.kind, InteractionKind, "kind"),
        source=check.text(draft.source, "source", max_length=MAX_SOURCE),
        source_ref=check.text(draft.source_ref, "source_ref", max_length=MAX_SOURCE),
        occurred_at=_instant(draft.occurred_at, "occurred_at"),
        direction=check.choice(draft.direction, Direction, "direction"),
        counterpart=_counterpart(draft.counterpart),
        subject=check.text(draft.subject, "subject", max_length=MAX_SUBJECT, required=False),
        body=check.text(draft.body, "body", max_length=MAX_BODY, required=False),
        description=None if draft.description is None else check_description(draft.description),
        links=_links(draft.links),
        tags=None if draft.tags is None else normalise_tags(draft.tags),
    )


def draft_from_mapping(data: Mapping[str, object]) -> InteractionDraft:
    """A checked draft from plain data, as a sync job sends it.

    >>> draft = draft_from_mapping({
    ...     "client": {"id": "c-17", "name": "Jane Doe"},
    ...     "kind": "email", "source": "imap", "source_ref": "<a1@mail.example>",
    ...     "occurred_at": "2026-11-02T09:15:00+00:00", "subject": "Invoice 2231",
    ... })
    >>> draft.kind, draft.direction
    (<InteractionKind.EMAIL: 'email'>, <Direction.INBOUND: 'inbound'>)

    Nested records are mappings too (``client``, ``counterpart``, ``links``);
    instants are aware datetimes or ISO 8601 text with an offset; ``tags`` is
    a list of text; ``None`` for an optional field means it was not given.
    Any other shape, an unknown key or a missing one raises ``ValidationError``
    naming the field.
    """
    fields = _fields(data, "draft", _DRAFT_FIELDS, required=_REQUIRED)
    return check_draft(InteractionDraft(**fields))


def _fields(
    data: object,
    where: str,
    readers: Mapping[str, Callable[[object, str], Any]],
    required: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(where, f"expected a mapping, got {type(data).__name__}")
    prefix = "" if where == "draft" else f"{where}."
    for key in data:
        if not isinstance(key, str):
            raise ValidationError(where, f"field names must be text, got {key!r:.60}")
        if key not in readers:
            known = ", ".join(readers)
            raise ValidationError(f"{prefix}{key:.60}", f"unknown field (known: {known})")
    for key in sorted(required - set(data)):
        raise ValidationError(f"{prefix}{key}", "is required")
    # null for an optional field means "not given", as JSON writers often say it.
    return {
        key: readers[key](value, f"{prefix}{key}")
        for key, value in data.items()
        if value is not None or key in required
    }


def _as_is(value: object, field: str) -> object:
    # Checked afterwards, with the rest of the draft, by check_draft.
    return value


def _client(value: object, field: str) -> object:
    if isinstance(value, ClientRef):
        return value
    fields = _fields(value, field, {"id": _as_is, "name": _as_is}, frozenset({"id", "name"}))
    return ClientRef(**fields)


def _counterpart_of(value: object, field: str) -> object:
    if isinstance(value, Counterpart):
        return value
    return Counterpart(**_fields(value, field, {"name": _as_is, "address": _as_is}))


def _links_of(value: object, field: str) -> object:
    if isinstance(value, InteractionLinks):
        return value
    return InteractionLinks(**_fields(value, field, {"log_id": _as_is, "lead_id": _as_is}))


def _instant_of(value: object, field: str) -> DateTime:
    if isinstance(value, str):
        if len(value) > MAX_INSTANT_TEXT:
            raise ValidationError(field, "expected an ISO 8601 instant such as 2026-11-02T09:15Z")
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"{value!r} is not an ISO 8601 instant") from None
    return _instant(value, field)


def _tags_of(value: object, field: str) -> object:
    if not isinstance(value, list | tuple):
        raise ValidationError(field, f"expected a list of tags, got {type(value).__name__}")
    return tuple(value)


_DRAFT_FIELDS: dict[str, Callable[[object, str], Any]] = {
    "client": _client,
    "kind": _as_is,
    "source": _as_is,
    "source_ref": _as_is,
    "occurred_at": _instant_of,
    "direction": _as_is,
    "counterpart": _counterpart_of,
    "subject": _as_is,
    "body": _as_is,
    "description": _as_is,
    "links": _links_of,
    "tags": _tags_of,
}
_REQUIRED = frozenset({"client", "kind", "source", "source_ref", "occurred_at"})


def _instant(value: object, field: str) -> DateTime:
    try:
        return require_aware(value, field)
    except OverflowError:
        # An aware instant at the edge of the calendar that has no UTC equivalent.
        raise ValidationError(field, "out of range once converted to UTC") from None


def _counterpart(value: object) -> Counterpart:
    if not isinstance(value, Counterpart):
        raise ValidationError("counterpart", f"expected a Counterpart, got {type(value).__name__}")
    return Counterpart(
        name=check.text(value.name, "counterpart.name", max_length=MAX_NAME, required=False),
        address=check.text(
            value.address, "counterpart.address", max_length=MAX_NAME, required=False
        ),
    )


def _links(value: object) -> InteractionLinks:
    if not isinstance(value, InteractionLinks):
        raise ValidationError("links", f"expected InteractionLinks, got {type(value).__name__}")
    return InteractionLinks(
        log_id=None if value.log_id is None else check.identifier(value.log_id, "links.log_id"),
        lead_id=None if value.lead_id is None else check.identifier(value.lead_id, "links.lead_id"),
    )
