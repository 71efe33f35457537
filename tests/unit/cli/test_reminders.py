"""``contactlog reminders deliver`` writes queued reminders as .ics files; ``feed`` prints one calendar."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from icalendar import Calendar

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.cli.main import build_parser
from contactlog_core.cli.reminders import run_reminders

LINK = "https://school.example/logs/{log_id}"


def record_with_follow_up(db: Path) -> tuple[cl.ContactLog, str]:
    """A log whose follow-up is due tomorrow at 09:00 Berlin time, in an organisation that reminds."""
    app = cl.ContactLogApp(SqliteStore(db))
    try:
        org = app.organisations.create("Northfield", timezone="Europe/Berlin")
        app.organisations.set_reminders(
            org.id, {"enabled": True, "sink": "ical", "link_template": LINK}
        )
        ann = app.actor(app.staff.add(org.id, name="Ann", role="office_admin").id)
        due = pendulum.tomorrow("Europe/Berlin").add(hours=9)
        log = app.logs.record(
            ann, subject="Bus pass", follow_up=cl.FollowUpDraft(due_at=due, reason="Call back")
        )
        return log, ann.staff_id
    finally:
        app.close()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_reminders(build_parser().parse_args(["reminders", *argv]), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_deliver_writes_each_reminder_once_and_feed_shows_it(tmp_path: Path) -> None:
    db, ics = tmp_path / "app.db", tmp_path / "ics"
    log, ann = record_with_follow_up(db)
    code, out, _ = run("deliver", "--db", str(db), "--ics-dir", str(ics))
    assert code == 0
    assert out.strip() == "sink ical: 1 delivered, 0 failed (retried later), 0 pending"
    (written,) = list(ics.rglob("*.ics"))
    (event,) = Calendar.from_ical(written.read_bytes()).walk("VEVENT")
    assert event["URL"] == f"https://school.example/logs/{log.id}"
    assert event.decoded("DTSTART").hour == 9
    again = run("deliver", "--db", str(db), "--ics-dir", str(ics))
    assert again[1].startswith("sink ical: 0 delivered")
    code, feed, _ = run("feed", "--ics-dir", str(ics), "--staff", ann)
    assert [str(e["UID"]) for e in Calendar.from_ical(feed).walk("VEVENT")] == [str(event["UID"])]


def test_deliver_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    code, _, err = run("deliver", "--db", str(tmp_path / "nope.db"), "--ics-dir", str(tmp_path))
    assert code == 2
    assert "no database file" in err
    assert not (tmp_path / "nope.db").exists()


def test_the_installed_command_delivers(tmp_path: Path) -> None:
    db, ics = tmp_path / "app.db", tmp_path / "ics"
    record_with_follow_up(db)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "contactlog_core.cli",
            "reminders",
            "deliver",
            "--db",
            str(db),
            "--ics-dir",
            str(ics),
            "--batch",
            "5",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.split(":")[0]) == (0, "sink ical")
    with pytest.raises(SystemExit):
        build_parser().parse_args(
            ["reminders", "deliver", "--db", "x", "--ics-dir", "y", "--batch", "0"]
        )
