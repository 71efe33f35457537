"""The hot questions are answered from indexes: no full scan, no sort of the whole set.

Each question runs through the public API on a file with some data; the SQL
the store ran is captured and its ``EXPLAIN QUERY PLAN`` read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.testing.collecting_sink import CollectingSink

START = pendulum.datetime(2026, 11, 2, 9, tz="UTC")
# A virtual table (the FTS5 index) is searched through its own index: not a scan.
FULL_SCAN = re.compile(
    r"^SCAN (logs|leads|follow_ups|staff|audit_events|interactions|reminder_outbox|[lfosadi])\b"
    r"(?! VIRTUAL TABLE)"
)


@pytest.fixture(scope="module")
def office(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[cl.ContactLogApp, list[cl.Actor], SqliteStore]]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("plans")) / "plans.db")
    app = cl.ContactLogApp(store, clock=cl.ManualClock(START, tick=pendulum.duration(seconds=1)))
    org = app.organisations.create("Northfield")
    staff = [
        app.actor(app.staff.add(org.id, name=f"Staff {n}", role="office_admin").id)
        for n in range(5)
    ]
    for n in range(300):
        who = staff[n % 5]
        due = cl.FollowUpDraft(
            due_at=START.add(days=n % 7 + 1), assigned_to=staff[(n + 1) % 5].staff_id
        )
        log = app.logs.record(who, subject=f"call {n}", follow_up=due if n % 3 else None)
        if n % 4 == 0:
            app.logs.surrender(who, log.id)
    for n in range(300):
        app.interactions.capture(
            staff[n % 5],
            {
                "client": {"id": f"client-{n % 7}", "name": f"Client {n % 7}"},
                "kind": ["email", "sms", "call"][n % 3],
                "source": "sync",
                "source_ref": f"m{n}",
                "occurred_at": START.subtract(hours=n * 7 % 500).isoformat(),
                "subject": f"Invoice {n} for the boiler service",
                "tags": [],
            },
        )
    app.organisations.set_reminders(
        org.id,
        {"enabled": True, "sink": "collecting", "link_template": "https://x.example/{log_id}"},
    )
    for n in range(20):
        app.logs.record(
            staff[n % 5],
            subject=f"reminded {n}",
            follow_up=cl.FollowUpDraft(due_at=START.add(days=2)),
        )
    for n in range(200):
        follow_up = START.add(days=n % 5 + 1) if n % 3 == 0 else None
        lead = app.leads.add(staff[n % 5], name=f"Lead {n}", follow_up_at=follow_up)
        if n % 10 == 0:
            app.leads.archive(staff[n % 5], lead.id, reason="lost")
    yield app, staff, store
    store.close()


QUESTIONS: dict[str, Callable[[cl.ContactLogApp, cl.Actor], Any]] = {
    "list": lambda app, me: app.logs.list(me),
    "list, page 5": lambda app, me: app.logs.list(me, page=5),
    "list OPEN": lambda app, me: app.logs.list(me, status="OPEN"),
    "list by subject": lambda app, me: app.logs.list(me, sort="subject"),
    "list by owner": lambda app, me: app.logs.list(me, sort="-owner_name"),
    "list by next due": lambda app, me: app.logs.list(me, sort="next_due_at"),
    "owner search": lambda app, me: app.logs.list(me, owner_name="sta 3"),
    "badges": lambda app, me: app.logs.badges(me),
    "follow-ups": lambda app, me: app.logs.follow_ups(me),
    "my follow-ups": lambda app, me: app.logs.follow_ups(me, mine=True),
    "audit of a log": lambda app, me: app.audit.events(me, entity_id="x", limit=10),
    "leads to be scheduled": lambda app, me: app.leads.to_be_scheduled(me),
    "my scheduled leads": lambda app, me: app.leads.scheduled(me),
    "scheduled leads this week": lambda app, me: app.leads.scheduled(
        me, everyone=True, starts=START, ends=START.add(days=7)
    ),
    "lead bank": lambda app, me: app.leads.lead_bank(me),
    "archived lead search": lambda app, me: app.leads.archived(me, search="lead 1"),
    "sweep": lambda app, me: _sweep_later(app),
    "interactions": lambda app, me: app.interactions.list(me),
    "interactions, page 3": lambda app, me: app.interactions.list(me, page=3),
    "one client's interactions": lambda app, me: app.interactions.list(me, client_id="client-3"),
    "interactions by description": lambda app, me: app.interactions.list(me, sort="description"),
    "interactions by counterpart": lambda app, me: app.interactions.list(me, sort="-counterpart"),
    "interaction search": lambda app, me: app.interactions.list(me, search="invoice boil"),
    "capture": lambda app, me: app.interactions.capture(
        me,
        {
            "client": {"id": "c", "name": "C"},
            "kind": "note",
            "source": "plans",
            "source_ref": "one",
            "occurred_at": START.isoformat(),
            "tags": [],
        },
    ),
    "capture of a batch": lambda app, me: app.interactions.capture_many(
        me,
        [
            {
                "client": {"id": "c", "name": "C"},
                "kind": "note",
                "source": source,
                "source_ref": f"batch-{n}",
                "occurred_at": START.isoformat(),
                "tags": [],
            }
            for n in range(3)
            for source in ("plans", "sms")
        ],
    ),
    "reminders delivered": lambda app, me: app.reminders.deliver(CollectingSink()),
}


def _sweep_later(app: cl.ContactLogApp) -> cl.SweepReport:
    # Far enough ahead that the sweep moves leads: its writes are planned and run too.
    assert isinstance(app.clock, cl.ManualClock)
    app.clock.advance(days=9)
    report = app.leads.sweep(batch_size=50)
    assert report.changed
    return report


def _plans(store: SqliteStore, ask: Callable[[], Any]) -> dict[str, list[str]]:
    conn = store._connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        conn.set_trace_callback(None)
    # Reads, and the writes that find their rows themselves (the sweep's UPDATE ... FROM).
    asked = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE"))]
    return {s: [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + s)] for s in asked}


@pytest.mark.parametrize("question", QUESTIONS)
def test_hot_questions_use_indexes(
    office: tuple[cl.ContactLogApp, list[cl.Actor], SqliteStore], question: str
) -> None:
    app, staff, store = office
    plans = _plans(store, lambda: QUESTIONS[question](app, staff[0]))
    assert plans, "the question ran no SELECT"
    for sql, plan in plans.items():
        scans = [step for step in plan if FULL_SCAN.match(step)]
        assert not scans, f"{question}: full scan {scans} in\n{sql}\n{plan}"
        if "MATCH" in sql:
            # The words drive the search: never a walk of the organisation probing the index.
            steps = [step for step in plan if step.split()[:2] in (["SCAN", "s"], ["SEARCH", "i"])]
            assert steps[0].startswith("SCAN s VIRTUAL TABLE"), f"{question}\n{sql}\n{plan}"
        if "LIMIT" in sql and ("FROM logs" in sql or "interactions AS i" in sql):
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, (
                f"{question}: sorts the whole set\n{sql}\n{plan}"
            )
