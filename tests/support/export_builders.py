"""Interactions for the export tests, built directly, and what each should export as.

``expected_cells`` is the tests' own reading of docs/rules.md ("Interactions") and the
columns' docs, written without the library's row function, so a round trip
through any format is compared with the source interaction, not with itself.
"""

from __future__ import annotations

import functools
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pendulum

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
from contactlog_core.domain.organisations.model import OrgId, StaffId
from contactlog_core.instants import from_micros, to_micros

NOW = pendulum.datetime(2026, 11, 23, 8, 15, tz="UTC")
ORG = OrgId("northfield")
ALICE = StaffId("alice")
PRINCIPAL = StaffId("principal-1")
SECRET_BODY = "BODY-MUST-NOT-LEAK: the full text of the mail"

HEADER = [
    "id",
    "occurred_at",
    "kind",
    "direction",
    "client_id",
    "client_name",
    "counterpart_name",
    "counterpart_address",
    "subject",
    "description",
    "tags",
    "source",
    "source_ref",
    "log_id",
    "lead_id",
    "redacted",
    "redacted_by",
    "redacted_at",
]


def interaction(n: int = 1, **overrides: Any) -> Interaction:
    """An inbound email from Jane Doe about an invoice, number ``n``, with ``overrides``."""
    fields: dict[str, Any] = {
        "id": InteractionId(f"int-{n}"),
        "org_id": ORG,
        "client": ClientRef(id="client-17", name="Jane Doe"),
        "kind": InteractionKind.EMAIL,
        "direction": Direction.INBOUND,
        "counterpart": Counterpart(name="Jane Doe", address="jane@doe.example"),
        "subject": f"RE: Invoice {2230 + n} overdue",
        "body": SECRET_BODY,
        "occurred_at": NOW.add(minutes=n),
        "source": "imap",
        "source_ref": f"<CAF-{n}@mail.example>",
        "description": f"Invoice {2230 + n} overdue",
        "tags": ("invoice", f"invoice {2230 + n}"),
        "links": InteractionLinks(),
        "captured_by": ALICE,
        "captured_at": NOW.add(hours=1),
        "updated_at": NOW.add(hours=1),
    }
    fields.update(overrides)
    return Interaction(**fields)


def redacted(n: int = 1, **overrides: Any) -> Interaction:
    """Interaction ``n`` after a redaction, as the domain leaves it: content emptied."""
    return attrs.evolve(
        interaction(n, **overrides),
        subject="",
        body="",
        description="",
        counterpart=Counterpart(),
        tags=(),
        redaction=Redaction(by=PRINCIPAL, at=NOW.add(days=2)),
        version=2,
    )


def unicode_interactions() -> list[Interaction]:
    """Accents, Greek, Cyrillic, CJK and emoji in every kind of text column."""
    return [
        interaction(
            1,
            client=ClientRef(id="client-é", name="Zoë Müller-Straße"),
            counterpart=Counterpart(name="Renée Façade", address="renee@café.example"),
            subject="Reçu: façade, naïve coöperation",
            description="Çà et là",
            tags=("façade", "crème brûlée"),
        ),
        interaction(
            2,
            kind=InteractionKind.CALL,
            direction=Direction.OUTBOUND,
            client=ClientRef(id="client-gr", name="Ελένη Παπαδοπούλου"),
            counterpart=Counterpart(name="Γιώργος", address="+30 210 123 4567"),
            subject="Συνάντηση για το συμβόλαιο",  # noqa: RUF001 - Greek on purpose
            description="Κλήση για το συμβόλαιο",  # noqa: RUF001
            tags=("συμβόλαιο",),
        ),
        interaction(
            3,
            kind=InteractionKind.SMS,
            client=ClientRef(id="client-ru", name="Иван Петров"),
            counterpart=Counterpart(name="Ольга", address="+7 495 123-45-67"),
            subject="Счёт за ремонт крыши",
            description="Счёт за ремонт",
            tags=("счёт", "крыша"),
        ),
        interaction(
            4,
            kind=InteractionKind.WHATSAPP,
            client=ClientRef(id="client-cn", name="王小明"),
            counterpart=Counterpart(name="李雷", address="+86 10 1234 5678"),
            subject="屋顶维修的发票 請確認",
            description="発票について",
            tags=("发票",),
        ),
        interaction(
            5,
            kind=InteractionKind.NOTE,
            direction=Direction.INTERNAL,
            counterpart=Counterpart(name="Sam 🙂", address=""),
            subject="Party 🎉 booked 👍🏽 for the team 👨‍👩‍👧",
            description="Booked 🎉",
            tags=("party 🎉",),
            links=InteractionLinks(log_id="log-9", lead_id="lead-4"),
        ),
    ]


def expected_cells(item: Interaction, timezone: str) -> list[str]:
    """What the export's columns should hold for ``item`` (before any format's own escaping)."""

    def local(instant: pendulum.DateTime) -> str:
        return pendulum.instance(instant).in_timezone(timezone).isoformat()

    redaction = item.redaction
    content = redaction is None
    return [
        item.id,
        local(item.occurred_at),
        item.kind.value,
        item.direction.value,
        item.client.id,
        item.client.name,
        item.counterpart.name if content else "",
        item.counterpart.address if content else "",
        item.subject if content else "",
        item.description if content else "",
        "; ".join(item.tags) if content else "",
        item.source,
        item.source_ref,
        item.links.log_id or "",
        item.links.lead_id or "",
        "" if redaction is None else "yes",
        "" if redaction is None else redaction.by,
        "" if redaction is None else local(redaction.at),
    ]


def many(count: int) -> Iterator[Interaction]:
    """``count`` interactions made one at a time as they are asked for, each text unique."""
    # Built field by field, not through ``interaction()``: pendulum arithmetic would be
    # most of the time of a 20,000-row run under tracemalloc.
    client, links, captured = ClientRef(id="client-17", name="Jane Doe"), InteractionLinks(), NOW
    start = to_micros(NOW)
    for n in range(count):
        yield Interaction(
            id=InteractionId(f"int-{n}"),
            org_id=ORG,
            client=client,
            kind=InteractionKind.EMAIL,
            direction=Direction.INBOUND,
            counterpart=Counterpart(name=f"Customer {n}", address=f"customer-{n}@mail.example"),
            subject=f"RE: Invoice {n} for the roof repair at {n} Station Road, Northfield",
            body=SECRET_BODY,
            occurred_at=from_micros(start + n * 60_000_000),
            source="imap",
            source_ref=f"<CAF-{n}@mail.example>",
            description=f"Invoice {n} roof repair",
            tags=(f"invoice {n}", "roof repair"),
            links=links,
            captured_by=ALICE,
            captured_at=captured,
            updated_at=captured,
        )


class CountingSink:
    """A binary file object that keeps only the number of bytes written to it."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def traced_peak(work: Callable[[], object]) -> int:
    """The peak, in bytes, of the Python allocations ``work()`` makes (tracemalloc)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not was_tracing:
            tracemalloc.stop()


@functools.cache
def held_rows_size(count: int) -> int:
    """What holding ``count`` interactions of ``many`` at once takes: what streaming must not."""
    return traced_peak(lambda: list(many(count)))
