"""The columns of an interaction export, and the one function that fills them.

Every format (CSV, Excel, PDF, HTML) writes the cells ``interaction_row``
gives, so a value reads the same whichever format a user opens. The body of
an interaction is **not** exported: it can be 200 kB of mail, and an export
is a list to scan, sort and file, not an archive of messages.

>>> [column.name for column in EXPORT_COLUMNS][:4]
['id', 'occurred_at', 'kind', 'direction']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from dataclasses import dataclass

from contactlog_core.domain.interactions.commands import without_content
from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.instants import require_timezone

__all__ = [
    "COLUMN_NAMES",
    "EXPORT_COLUMNS",
    "REPLACEMENT",
    "TAG_SEPARATOR",
    "Column",
    "interaction_row",
    "xml_safe",
    "zone_named",
]

TAG_SEPARATOR = "; "
REPLACEMENT = "\ufffd"  # what stands in for a character a format cannot carry


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its stable ``name`` (a CSV/XLSX header), a ``title`` for people.

    ``width`` is the column's usual width in characters (an XLSX column's width).
    """

    name: str
    title: str
    width: int


EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", 24),
    Column("occurred_at", "Occurred at", 26),
    Column("kind", "Kind", 9),
    Column("direction", "Direction", 10),
    Column("client_id", "Client id", 14),
    Column("client_name", "Client", 20),
    Column("counterpart_name", "Counterpart", 20),
    Column("counterpart_address", "Counterpart address", 24),
    Column("subject", "Subject", 40),
    Column("description", "Description", 30),
    Column("tags", "Tags", 24),
    Column("source", "Source", 12),
    Column("source_ref", "Source ref", 24),
    Column("log_id", "Log", 14),
    Column("lead_id", "Lead", 14),
    Column("redacted", "Redacted", 9),
    Column("redacted_by", "Redacted by", 14),
    Column("redacted_at", "Redacted at", 26),
)
"""The export's columns, in order: a row of ``interaction_row`` has one cell per column."""

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in EXPORT_COLUMNS)


def interaction_row(interaction: Interaction, timezone: str) -> tuple[str, ...]:
    """The text cells of ``interaction``, one per column of ``EXPORT_COLUMNS``.

    Instants (``occurred_at``, ``redacted_at``) are ISO 8601 in the
    organisation's ``timezone``, with their offset, e.g.
    ``2026-11-23T09:15:00+01:00`` (seconds always, microseconds when there are
    any): the text names the instant exactly. ``tags`` are joined with
    ``"; "``. Absent links are empty cells. ``redacted`` is ``"yes"`` for a
    redacted interaction (``redacted_by`` and ``redacted_at`` then say who and
    when) and empty otherwise; a redacted interaction's content columns
    (counterpart, subject, description, tags) are empty even if the object
    still carried content. The body is never part of a row.

    An unknown ``timezone`` or an ``interaction`` that is no ``Interaction``
    raises ``ValidationError``.
    """
    if not isinstance(interaction, Interaction):
        raise ValidationError(
            "interaction", f"expected an Interaction, got {type(interaction).__name__}"
        )
    zone = zone_named(timezone)
    redaction = interaction.redaction
    shown = interaction if redaction is None else without_content(interaction)
    return (
        shown.id,
        _instant(shown.occurred_at, zone, "occurred_at"),
        str(shown.kind),
        str(shown.direction),
        shown.client.id,
        shown.client.name,
        shown.counterpart.name,
        shown.counterpart.address,
        shown.subject,
        shown.description,
        TAG_SEPARATOR.join(shown.tags),
        shown.source,
        shown.source_ref,
        shown.links.log_id or "",
        shown.links.lead_id or "",
        "" if redaction is None else "yes",
        "" if redaction is None else redaction.by,
        "" if redaction is None else _instant(redaction.at, zone, "redaction.at"),
    )


def zone_named(timezone: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``timezone``, or ``ValidationError`` if there is no such zone."""
    if not isinstance(timezone, str):
        require_timezone(timezone)  # refuses it, before the cache tries to hash it
    return _zone(timezone)


@functools.lru_cache(maxsize=64)
def _zone(timezone: str) -> zoneinfo.ZoneInfo:
    name = require_timezone(timezone)
    try:
        return zoneinfo.ZoneInfo(name)
    except (ValueError, KeyError, OSError) as e:
        # Known to pendulum but not to zoneinfo (e.g. no system tz database): say so plainly.
        raise ValidationError("timezone", f"unknown time zone {name!r}") from e


def _instant(instant: dt.datetime, zone: zoneinfo.ZoneInfo, field: str) -> str:
    # Checked again here: an Interaction built by hand skips the capture's checks.
    offset = instant.utcoffset() if isinstance(instant, dt.datetime) else None
    if offset is None:
        raise ValidationError(field, "expected a timezone-aware datetime")
    # Rebuilt as a plain datetime first: datetime.astimezone on a pendulum DateTime
    # loses the zone, and pendulum's own in_timezone is ten times slower.
    plain = dt.datetime(
        *(instant.year, instant.month, instant.day),
        *(instant.hour, instant.minute, instant.second, instant.microsecond),
        tzinfo=dt.UTC if not offset else dt.timezone(offset),
    )
    return plain.astimezone(zone).isoformat()


# XML 1.0 forbids C0 controls but tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD (the replacement mark).

    >>> xml_safe("bell\\x07 and tab\\t")
    'bell\\ufffd and tab\\t'
    """
    return _NOT_XML.sub(REPLACEMENT, text)
