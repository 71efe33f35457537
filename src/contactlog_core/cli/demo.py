"""The seed scenario, told step by step: what ``contactlog demo`` prints."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import pendulum

from contactlog_core.adapters.ical_sink import ICalendarSink
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.application import ContactLogApp
from contactlog_core.clock import ManualClock
from contactlog_core.domain.logs.model import ContactLog, ContactRef, FollowUpDraft, Priority
from contactlog_core.domain.organisations.model import Actor, Organisation, StaffId
from contactlog_core.domain.reminders.plan import ReminderKind, ReminderRequest, reminder_key
from contactlog_core.errors import ContactLogError
from contactlog_core.ports import ReminderSink

__all__ = ["run_demo"]


def run_demo(out: TextIO, db: str = ":memory:") -> None:
    """Print the ownership walk-through of the seed scenario to ``out``, then a lead's aging.

    The records go to the SQLite file ``db``; each run adds its own organisation,
    so running twice in a row is fine.
    """
    clock = ManualClock(pendulum.datetime(2026, 11, 2, 8, 45, tz="Europe/London"))
    app = ContactLogApp(SqliteStore(db), clock=clock)
    try:
        _walk_through(app, clock, out)
        _sales_leads(app, clock, out)
        _reminders(app, clock, out, ics_dir=_beside(db, "reminders"))
        _interactions(app, out, export_to=_beside(db, "exports"))
    finally:
        app.close()
    if db != ":memory:":
        print(f"\nThe records are in {db}.", file=out)


def _walk_through(app: ContactLogApp, clock: ManualClock, out: TextIO) -> None:
    org = app.organisations.create("Northfield Primary", timezone="Europe/London")
    alice = app.staff.add(org.id, name="Alice Smith", role="office_admin")
    bob = app.staff.add(org.id, name="Bob Jones", role="office_admin")
    hana = app.staff.add(org.id, name="Hana Patel", role="school_admin")
    names: dict[str, str] = {s.id: f"{s.name} ({s.role})" for s in (alice, bob, hana)}

    def say(text: str) -> None:
        print(text, file=out)

    def show(log: ContactLog) -> None:
        holder = names.get(log.owner, "nobody") if log.owner else "nobody"
        say(f"    status {log.status}, held by {holder}, version {log.version}")
        for f in log.outstanding_follow_ups:
            due = org.local(f.due_at).format("ddd D MMM YYYY HH:mm zz")
            say(f"    follow-up due {due}: {f.reason} [{f.priority}]")

    def refused(step: str, call: Callable[[], object]) -> None:
        try:
            call()
        except ContactLogError as e:
            say(f"{step}\n    refused: {type(e).__name__}: {e}")

    say(
        f"{org.name} ({org.timezone}), {clock.now().in_timezone(org.timezone).format('dddd D MMMM YYYY')}"
    )
    say(f"  staff: {', '.join(names.values())}\n")

    me, bob_a, hana_a = app.actor(alice.id), app.actor(bob.id), app.actor(hana.id)
    log = app.logs.record(
        me,
        subject="Parent called about the bus",
        contact=ContactRef(id="parent-1042", display_name="Sam Carter (parent of Lily)"),
        follow_up=FollowUpDraft(due_at=clock.now().add(days=1, hours=1), reason="call back"),
    )
    say("1. Alice records a call from Sam Carter; the log is locked to her.")
    show(log)
    clock.advance(minutes=20)
    refused("2. Bob tries to take it.", lambda: app.logs.take(bob_a, log.id))
    log = app.logs.add_follow_up(
        me,
        log.id,
        FollowUpDraft(
            due_at=clock.now().add(days=3), reason="check the new route", priority=Priority.HIGH
        ),
    )
    say("3. Alice adds a second follow-up, then surrenders the log.")
    log = app.logs.surrender(me, log.id)
    show(log)
    clock.advance(minutes=5)
    log = app.logs.take(bob_a, log.id)
    say("4. Bob takes the open log.")
    show(log)
    refused(
        "5. Alice, an office admin like Bob, tries to force-take it.",
        lambda: app.logs.force_take(me, log.id),
    )
    clock.advance(hours=2)
    log = app.logs.force_take(hana_a, log.id)
    say("6. Hana, a school admin, outranks Bob and force-takes it.")
    show(log)
    log = app.logs.complete(hana_a, log.id)
    say("7. Hana completes it: the lock is released and no follow-up is outstanding.")
    show(log)
    say(f"    completed by {names[log.completed_by or alice.id]}")
    _history(app, hana_a, log, names, org, say)
    _office_lists(app, clock, (me, bob_a, hana_a), org, say)


def _history(
    app: ContactLogApp,
    actor: Actor,
    log: ContactLog,
    names: dict[str, str],
    org: Organisation,
    say: Callable[[str], None],
) -> None:
    say("\nAudit trail of the log, oldest first:")
    for event in reversed(app.audit.events(actor, entity_id=log.id)):
        when = event.at.in_timezone(org.timezone).format("HH:mm")
        who = names.get(event.actor, "system") if event.actor else "system"
        say(f"  {when}  {event.command:<14} by {who}")


_MORE_CALLS = (
    (0, "Dinner money refund", "high", 1),
    (1, "Uniform order", "normal", 2),
    (2, "Staff parking complaint", "low", 0),
    (0, "École exchange trip forms", "normal", 4),
    (1, "Bus pass lost", "urgent", 1),
)


def _office_lists(
    app: ContactLogApp,
    clock: ManualClock,
    staff: tuple[Actor, Actor, Actor],
    org: Organisation,
    say: Callable[[str], None],
) -> None:
    """The rest of the morning: more calls, then the list pages and badges the office sees."""
    for who, subject, priority, days in _MORE_CALLS:
        clock.advance(minutes=11)
        follow_up = (
            FollowUpDraft(due_at=clock.now().add(days=days), reason="call back") if days else None
        )
        app.logs.record(staff[who], subject=subject, priority=priority, follow_up=follow_up)
    bob = staff[1]
    app.logs.surrender(bob, app.logs.list(bob, owner_name="bob", sort="subject").items[0].id)
    alice = staff[0]

    def page(title: str, **question: Any) -> None:
        result = app.logs.list(alice, per_page=3, **question)
        nav = f"page {result.page} of {result.pages}, {result.total} logs"
        nav += ", next ->" if result.has_next else ""
        nav += ", <- previous" if result.has_prev else ""
        say(f"\n{title} ({nav})")
        for row in result.items:
            holder = row.owner_name or "-"
            due = (
                ""
                if row.next_due_at is None
                else org.local(row.next_due_at).format("ddd D MMM HH:mm")
            )
            say(f"  {row.subject:<28} {row.status:<12} {holder:<12} {due}")

    say("\nLater that morning, five more calls come in; Bob surrenders one.")
    page("Open and in-progress logs, newest change first", status=["OPEN", "IN_PROGRESS"])
    page("... the next page", status=["OPEN", "IN_PROGRESS"], page=2)
    page("Held by someone whose name starts with 'al' (typed as 'AL')", owner_name="AL")
    page("By subject, A to Z", sort=["subject"])
    page("By next follow-up due", sort=["next_due_at", "subject"], status="IN_PROGRESS")
    badges = app.logs.badges(alice)
    for label, counts in (("Northfield Primary", badges.organisation), ("Alice", badges.mine)):
        say(
            f"\nBadges for {label}: {counts.open} open, {counts.in_progress} in progress, "
            f"{counts.follow_ups} follow-ups, {counts.total} in all"
        )


def _sales_leads(app: ContactLogApp, clock: ManualClock, out: TextIO) -> None:
    """A sales lead ages on the clock alone: missed, past due, abandoned, available, claimed."""
    org = app.organisations.create("Brightside Windows", timezone="Europe/London")
    priya = app.actor(app.staff.add(org.id, name="Priya Shah", role="office_admin").id)
    tom = app.actor(app.staff.add(org.id, name="Tom Reed", role="office_admin").id)
    people = {priya.staff_id: ("Priya", priya), tom.staff_id: ("Tom", tom)}

    def step(text: str, lead_id: str | None = None) -> None:
        when = org.local(clock.now()).format("ddd D MMM HH:mm zz")
        seen = "" if lead_id is None else f": {_as_listed(app, lead_id, people)}"
        print(f"  {when:<20}  {text}{seen}", file=out)

    print(f"\n{org.name} ({org.timezone}): a sales lead ages on the clock alone", file=out)
    call_at = org.local(clock.now()).add(days=1).at(10)
    lead = app.leads.add(priya, name="Mrs Okafor", contact="+44 20 7946 0321")
    app.leads.schedule(priya, lead.id, at=call_at)
    step(f"Priya adds Mrs Okafor, books a call for {call_at.format('ddd HH:mm')}", lead.id)
    for days, what in [
        (0, "the call time comes and goes"),
        (2, "2 days untouched"),
        (3, "3 days untouched"),
        (8, "5 more days abandoned"),
    ]:
        clock.set(call_at.add(days=days))
        step(what, lead.id)
    step(f"the sweep writes it down: {app.leads.sweep(org_id=org.id).summary()}")
    app.leads.claim(tom, lead.id)
    step("Tom claims it", lead.id)


_INBOX = [
    {
        "kind": "email",
        "source_ref": "<CAF2231@mail.example>",
        "occurred_at": "2026-11-09T08:12:00+00:00",
        "counterpart": {"name": "Jane Doe", "address": "jane@example.org"},
        "subject": "Invoice 2231 overdue",
        "body": "Hi Sam,\nthe invoice 2231 for the boiler service is overdue.\n\n"
        "Kind regards,\nJane\n> On 2 Nov, Sam wrote:\n> Please find attached the invoice",
    },
    {
        "kind": "sms",
        "source_ref": "sms-88121",
        "occurred_at": "2026-11-10T16:40:00+00:00",
        "counterpart": {"name": "", "address": "+44 7700 900123"},
        "body": "Running 10 min late for the boiler service visit, sorry!",
        "direction": "outbound",
    },
    {
        "kind": "call",
        "source_ref": "call-5521",
        "occurred_at": "2026-11-11T09:05:00+00:00",
        "counterpart": {"name": "Jane Doe"},
        "body": "Jane confirmed the payment of invoice 2231 will be made on Friday.",
    },
]


def _interactions(app: ContactLogApp, out: TextIO, export_to: Path) -> None:
    """Captured messages: named, tagged, captured once, found as one types, exported."""
    org = app.organisations.create("Brightside Heating", timezone="Europe/London")
    sam = app.actor(app.staff.add(org.id, name="Sam Reed", role="office_admin").id)
    print(f"\n{org.name}: a client's emails, texts and calls, captured and searched", file=out)
    client = {"id": "client-17", "name": "Jane Doe"}
    inbox = [{**message, "client": client, "source": "sync"} for message in _INBOX]
    report = app.interactions.capture_many(sam, [*inbox, inbox[0]])  # the sync sends one twice
    print(f"  the sync job: {report.summary()}", file=out)
    for shown in app.interactions.list(sam).items:
        tags = ", ".join(shown.tags) or "no tags"
        print(f"    {shown.description}  [{tags}]", file=out)
    for typed in ("b", "boi", "boiler 22", "2026-11-1"):
        found = app.interactions.list(sam, search=typed)
        names = "; ".join(i.description for i in found.items) or "nothing"
        print(f"  typing {typed!r:<13} finds {found.total}: {names}", file=out)
    export_to.mkdir(parents=True, exist_ok=True)
    path = export_to / f"{org.id}.csv"
    count = app.interactions.export(sam, path, format="csv")
    print(f"  exported {count} interaction(s) to {path}", file=out)


def _beside(db: str, what: str) -> Path:
    """A folder next to the database for the demo's files (a temporary one for ``:memory:``)."""
    if db == ":memory:":
        return Path(tempfile.mkdtemp(prefix=f"contactlog-demo-{what}-"))
    return Path(f"{db}-{what}")


class _Announced:
    """A sink that only says what it was handed: the demo without the ``ical`` extra."""

    name = "ical"

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def deliver(self, request: ReminderRequest) -> None:
        print(
            f"    (no .ics without the ical extra) {request.action} {request.key}", file=self._out
        )


def _reminders(app: ContactLogApp, clock: ManualClock, out: TextIO, ics_dir: Path) -> None:
    """A follow-up becomes a calendar appointment, which moves when the follow-up does."""
    org = app.organisations.create("Riverside School", timezone="Europe/London")
    app.organisations.set_reminders(
        org.id,
        {
            "enabled": True,
            "sink": "ical",
            "appointment_duration_minutes": 20,
            "link_template": "https://school.example/logs/{log_id}",
        },
    )
    dan = app.actor(app.staff.add(org.id, name="Dan Okoro", role="office_admin").id)
    print(f"\n{org.name}: a follow-up becomes an appointment in Dan's calendar", file=out)
    ical: ICalendarSink | None
    try:
        ical = ICalendarSink(ics_dir)
    except ContactLogError:
        ical = None
    sink: ReminderSink = _Announced(out) if ical is None else ical
    due = org.local(clock.now()).add(days=1).at(10)
    log = app.logs.record(
        dan,
        subject="Mother asked about the trip deposit",
        follow_up=FollowUpDraft(due_at=due, reason="Confirm the deposit was received"),
    )
    print(f"  Dan records a call with a follow-up on {due.format('ddd D MMM HH:mm')}", file=out)
    _deliver_and_show(app, sink, ical, log, out)
    (follow_up,) = log.follow_ups
    moved = due.add(days=2).at(14, 30)
    app.logs.reschedule_follow_up(dan, log.id, follow_up.id, moved)
    print(f"  Dan moves it to {moved.format('ddd D MMM HH:mm')}", file=out)
    _deliver_and_show(app, sink, ical, log, out)


def _deliver_and_show(
    app: ContactLogApp,
    sink: ReminderSink,
    files: ICalendarSink | None,
    log: ContactLog,
    out: TextIO,
) -> None:
    report = app.reminders.deliver(sink)
    print(f"    {report.summary()}", file=out)
    if files is None:
        return
    (follow_up,) = log.follow_ups
    key = reminder_key(log.org_id, log.id, follow_up.id, log.created_by, ReminderKind.EVENT)
    path = files.path_for(log.created_by, key)
    print(f"    {path}:", file=out)
    # Long lines of a calendar file are folded: a leading space continues the line before.
    unfolded = path.read_text(encoding="utf-8").replace("\n ", "").splitlines()
    method = [line for line in unfolded if line.startswith("METHOD:")]
    event = unfolded[unfolded.index("BEGIN:VEVENT") : unfolded.index("END:VEVENT")]
    shown = ("UID:", "SEQUENCE:", "DTSTART", "DTEND", "SUMMARY:", "URL:")
    for line in [*method, *event]:
        if line.startswith(("METHOD:", *shown)):
            print(f"      {line}", file=out)


def _as_listed(app: ContactLogApp, lead_id: str, people: dict[StaffId, tuple[str, Actor]]) -> str:
    """The lead's status now, its cue, and the lists that show it: no sweep has written them yet."""
    anyone = next(iter(people.values()))[1]
    lead = app.leads.get(anyone, lead_id)
    name, owner = people[lead.owner] if lead.owner else ("", None)
    views = {"the Lead Bank": app.leads.lead_bank(anyone)}
    if owner is not None:
        views = {
            f"{name}'s To Be Scheduled": app.leads.to_be_scheduled(owner),
            f"{name}'s Schedule": app.leads.scheduled(owner),
            **views,
        }
    rows = {title: r for title, page in views.items() for r in page.items if r.id == lead_id}
    cue = next((f" ({r.cue})" for r in rows.values() if r.cue), "")
    held = f"owner {name}" if owner else "no owner"
    return f"{lead.status}{cue}, {held}, in {' and '.join(rows) or 'no list'}"
