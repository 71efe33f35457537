"""An interaction as a row of SQLite's ``interactions`` table, and the time keys it is found by.

``seq``, the time key, is the second an interaction occurred shifted left by
``SLOT_BITS``, plus a slot for its microsecond (see ``time_key``). The word
index's rowids are the time keys, so its rows come newest first in rowid order.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from contactlog_core.domain.interactions.model import (
    ClientRef,
    Counterpart,
    Direction,
    Interaction,
    InteractionId,
    InteractionKind,
    InteractionLinks,
    Redaction,
)
from contactlog_core.domain.interactions.query_rules import counterpart_key, description_key
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.instants import from_micros, to_micros

__all__ = [
    "COLUMNS",
    "INSERT",
    "NAMES",
    "OCCURRED_AT",
    "SEQ",
    "SLOTS",
    "SLOT_BITS",
    "SPARE",
    "UPDATE",
    "indexed_words",
    "interaction_from_row",
    "interaction_values",
    "org_token",
    "time_key",
    "time_key_range",
]

SLOT_BITS = 23  # interactions of one second a rowid range holds: 8,388,608
SLOTS = 1 << SLOT_BITS
SECOND = 1_000_000
MICRO_SHIFT = 3  # 8 slots per microsecond: 8,000,000 of a second's slots, the rest spare
SPARE = SECOND << MICRO_SHIFT

COLUMNS = """
    seq, id, org_id, client_id, client_name, kind, direction, counterpart_name,
    counterpart_address, counterpart_key, subject, body, occurred_at, source, source_ref,
    description, description_key, tags, log_id, lead_id, captured_by, captured_at, updated_at,
    redacted_by, redacted_at, version, search_words
"""
NAMES = tuple(c.strip() for c in COLUMNS.split(","))
SEQ, OCCURRED_AT = NAMES.index("seq"), NAMES.index("occurred_at")
# By position: every capture binds 27 values, and positions bind in half the time of names.
INSERT = f"INSERT INTO interactions ({COLUMNS}) VALUES ({', '.join('?' * len(NAMES))})"
UPDATE = """
UPDATE interactions
   SET client_id = :client_id, client_name = :client_name,
       counterpart_name = :counterpart_name, counterpart_address = :counterpart_address,
       counterpart_key = :counterpart_key, subject = :subject, body = :body,
       description = :description, description_key = :description_key, tags = :tags,
       log_id = :log_id, lead_id = :lead_id, updated_at = :updated_at,
       redacted_by = :redacted_by, redacted_at = :redacted_at, version = :version,
       search_words = :search_words
 WHERE id = :id AND org_id = :org_id AND version = :expected_version
"""


def org_token(org_id: str) -> str:
    """The index word that keeps a search inside one organisation: ``_`` and its id in hex."""
    return "_" + org_id.encode().hex()


def time_key(occurred_at_micros: int) -> int:
    """The rowid an interaction of that instant takes: its second, then its microsecond.

    Eight slots per microsecond, so keys of one second follow its instants;
    only the first is tried: when another interaction of the same
    microsecond holds it, the store takes the next of the second's spare
    slots above all of them (``SPARE`` onwards). So a capture reads no key
    before it writes. Within a second the store orders exactly, by instant
    and id, whatever the slots.
    """
    second, micro = divmod(occurred_at_micros, SECOND)
    return (second << SLOT_BITS) | (micro << MICRO_SHIFT)


def time_key_range(occurred_at_micros: int) -> tuple[int, int]:
    """The first and last rowid of the second ``occurred_at_micros`` falls in."""
    first = (occurred_at_micros // SECOND) << SLOT_BITS
    return first, first + SLOTS - 1


def indexed_words(org_id: str, words: str) -> str:
    """What the word index holds for a row: its organisation's token, then its words."""
    return f"{org_token(org_id)} {words}"


def interaction_values(interaction: Interaction, words: str) -> list[Any]:
    """The row of ``interaction`` in ``COLUMNS`` order; its time key (``seq``) is left to the caller."""
    i = interaction
    redaction = i.redaction
    return [
        None,  # seq
        i.id,
        i.org_id,
        i.client.id,
        i.client.name,
        i.kind.value,
        i.direction.value,
        i.counterpart.name,
        i.counterpart.address,
        counterpart_key(i),
        i.subject,
        i.body,
        to_micros(i.occurred_at),
        i.source,
        i.source_ref,
        i.description,
        description_key(i),
        json.dumps(i.tags, ensure_ascii=False),
        i.links.log_id,
        i.links.lead_id,
        i.captured_by,
        to_micros(i.captured_at),
        to_micros(i.updated_at),
        None if redaction is None else redaction.by,
        None if redaction is None else to_micros(redaction.at),
        i.version,
        words,
    ]


def interaction_from_row(row: sqlite3.Row) -> Interaction:
    redacted_by = row["redacted_by"]
    return Interaction(
        id=InteractionId(row["id"]),
        org_id=OrgId(row["org_id"]),
        client=ClientRef(row["client_id"], row["client_name"]),
        kind=InteractionKind(row["kind"]),
        direction=Direction(row["direction"]),
        counterpart=Counterpart(row["counterpart_name"], row["counterpart_address"]),
        subject=row["subject"],
        body=row["body"],
        occurred_at=from_micros(row["occurred_at"]),
        source=row["source"],
        source_ref=row["source_ref"],
        description=row["description"],
        tags=tuple(json.loads(row["tags"])),
        links=InteractionLinks(row["log_id"], row["lead_id"]),
        captured_by=StaffId(row["captured_by"]),
        captured_at=from_micros(row["captured_at"]),
        updated_at=from_micros(row["updated_at"]),
        redaction=None
        if redacted_by is None
        else Redaction(StaffId(redacted_by), from_micros(row["redacted_at"])),
        version=row["version"],
    )
