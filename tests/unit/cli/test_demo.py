"""``contactlog demo`` tells the seed scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import contactlog_core as cl
from contactlog_core.cli import demo
from contactlog_core.cli.main import main


def test_demo_walks_through_the_seed_scenario(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    assert main(["demo", "--db", str(db)]) == 0, "a second run on the same file works too"
    out = capsys.readouterr().out
    steps = [
        "Alice records a call",
        "held by Alice Smith",
        "refused: LockedByOther",
        "surrenders",
        "Bob takes the open log",
        "Hana, a school admin, outranks Bob and force-takes it",
        "status COMPLETED",
        "follow-up due Tue 3 Nov 2026 09:45 GMT: call back",
    ]
    lists = [
        "Open and in-progress logs, newest change first (page 1 of 2, 5 logs, next ->)",
        "... the next page (page 2 of 2, 5 logs, <- previous)",
        "Held by someone whose name starts with 'al' (typed as 'AL') (page 1 of 1, 2 logs)",
        "  Dinner money refund          IN_PROGRESS  Alice Smith  Tue 3 Nov 11:21",
        "Badges for Northfield Primary: 1 open, 4 in progress, 4 follow-ups, 9 in all",
        "Badges for Alice: 0 open, 2 in progress, 2 follow-ups, 4 in all",
    ]
    assert all(line in out for line in lists), out
    positions = [out.index(step) for step in steps[:7]]
    assert positions == sorted(positions)
    assert steps[7] in out


def test_the_demo_ages_a_sales_lead_on_the_clock(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    leads = capsys.readouterr().out.partition("Brightside Windows")[2].partition("Riverside")[0]
    assert main(["demo", "--db", str(db)]) == 0
    again = capsys.readouterr().out.partition("Brightside Windows")[2].partition("Riverside")[0]
    assert again == leads, "a second run tells the same story, in an organisation of its own"
    steps = [
        "Mon 2 Nov 12:05 GMT   Priya adds Mrs Okafor, books a call for Tue 10:00: SCHEDULED,"
        " owner Priya, in Priya's Schedule",
        "Tue 3 Nov 10:00 GMT   the call time comes and goes: MISSED (yellow), owner Priya,"
        " in Priya's To Be Scheduled",
        "Thu 5 Nov 10:00 GMT   2 days untouched: PAST_DUE (red), owner Priya",
        "Fri 6 Nov 10:00 GMT   3 days untouched: ABANDONED, owner Priya,"
        " in Priya's To Be Scheduled and the Lead Bank",
        "Wed 11 Nov 10:00 GMT  5 more days abandoned: AVAILABLE, no owner, in the Lead Bank",
        "Wed 11 Nov 10:00 GMT  the sweep writes it down: swept 1 organisation(s)"
        " at 2026-11-11T10:00:00+00:00: 1 lead(s) changed (SCHEDULED->AVAILABLE: 1)",
        "Wed 11 Nov 10:00 GMT  Tom claims it: MISSED (yellow), owner Tom, in Tom's To Be Scheduled",
    ]
    positions = [leads.find(step) for step in steps]
    assert -1 not in positions, leads
    assert positions == sorted(positions)


def test_the_demo_turns_a_follow_up_into_an_appointment_that_moves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo", "--db", str(tmp_path / "demo.db")]) == 0
    story = capsys.readouterr().out.partition("Riverside School")[2]
    first, _, moved = story.partition("Dan moves it to")
    assert "sink ical: 1 delivered" in first
    for line in ("METHOD:REQUEST", "SEQUENCE:0", "DTSTART;TZID=Europe/London:20261112T100000"):
        assert line in first
    for line in ("SEQUENCE:1", "DTSTART;TZID=Europe/London:20261114T143000"):
        assert line in moved
    uid = [line for line in story.splitlines() if "UID:" in line]
    assert len(uid) == 2
    assert uid[0] == uid[1]
    assert len(list((tmp_path / "demo.db-reminders").rglob("*.ics"))) == 1


def test_the_demo_says_what_it_would_deliver_without_the_ical_extra(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object, **__: object) -> None:
        raise cl.ValidationError("sink", "the iCalendar sink needs the icalendar package")

    monkeypatch.setattr(demo, "ICalendarSink", missing)
    assert main(["demo", "--db", ":memory:"]) == 0
    story = capsys.readouterr().out.partition("Riverside School")[2]
    assert story.count("(no .ics without the ical extra) upsert") == 2


def test_the_demo_captures_searches_and_exports_a_clients_interactions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo", "--db", str(tmp_path / "demo.db")]) == 0
    story = capsys.readouterr().out.partition("Brightside Heating")[2]
    assert "4 item(s): 3 captured, 1 already there, 0 rejected" in story
    assert "Email from Jane Doe: Invoice 2231 overdue" in story
    assert "typing 'boiler 22'   finds 1: Email from Jane Doe: Invoice 2231 overdue" in story
    (exported,) = list((tmp_path / "demo.db-exports").glob("*.csv"))
    rows = exported.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 4
    assert rows[0].startswith("id,occurred_at,kind")


def test_the_console_script_runs_and_rejects_unknown_commands(tmp_path: Path) -> None:
    # In a folder of its own: the demo's default file is created where it runs.
    ok = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "demo"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "fly"], capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    piped = subprocess.run(
        f"{sys.executable} -m contactlog_core.cli demo --db :memory: | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert piped.stdout.startswith("Northfield Primary")
    assert "Traceback" not in piped.stderr
