"""``contactlog sweep`` writes aged lead statuses to an existing SQLite file, for cron."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pendulum
import pytest

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.cli.main import build_parser, main
from contactlog_core.cli.sweep import run_sweep

# The sweep reads the real clock: lead ages are chosen far from any deadline,
# and the zone is UTC, so that no change of the clocks moves one.
AGES = {
    "Mr Ahmed": pendulum.duration(days=30),  # available
    "Ms Byrne": pendulum.duration(days=4, hours=12),  # abandoned
    "Dr Chen": pendulum.duration(days=2, hours=12),  # past due
    "Mrs Fofana": pendulum.duration(hours=1),  # not scheduled: unchanged
}


def add_aged_leads(db: Path, org_name: str = "Brightside Windows") -> str:
    """Leads added long enough ago to have aged; nothing swept yet. Returns the organisation id."""
    now = pendulum.now("UTC")
    clock = cl.ManualClock(now - AGES["Mr Ahmed"])
    app = cl.ContactLogApp(SqliteStore(db), clock=clock)
    try:
        org = app.organisations.create(org_name, timezone="UTC")
        priya = app.actor(app.staff.add(org.id, name="Priya Shah", role="office_admin").id)
        for name, age in AGES.items():
            clock.set(now - age)
            app.leads.add(priya, name=name)
        app.leads.add(priya, name="Mr Evans", follow_up_at=now.add(days=7))  # scheduled ahead
    finally:
        app.close()
    return org.id


def stored_statuses(db: Path) -> dict[str, cl.LeadStatus]:
    """What the file holds, read past the library (which would age the leads as it reads)."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT name, status FROM leads").fetchall()
    return {name: cl.LeadStatus(status) for name, status in rows}


def sweep(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["sweep", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "leads.db"


def test_the_sweep_writes_what_the_clock_did_then_finds_nothing_more(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_aged_leads(db)
    code, out, err = sweep(capsys, "--db", str(db))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1, "one line, for a cron job's log"
    assert re.fullmatch(
        r"swept 1 organisation\(s\) at \S+: 3 lead\(s\) changed \(NOT_SCHEDULED->ABANDONED: 1,"
        r" NOT_SCHEDULED->AVAILABLE: 1, NOT_SCHEDULED->PAST_DUE: 1\)\n",
        out,
    ), out
    assert stored_statuses(db) == {
        "Mr Ahmed": cl.LeadStatus.AVAILABLE,
        "Ms Byrne": cl.LeadStatus.ABANDONED,
        "Dr Chen": cl.LeadStatus.PAST_DUE,
        "Mrs Fofana": cl.LeadStatus.NOT_SCHEDULED,
        "Mr Evans": cl.LeadStatus.SCHEDULED,
    }

    code, out, _ = sweep(capsys, "--db", str(db), "--batch-size", "1")
    assert code == 0
    assert out.endswith(": 0 lead(s) changed\n"), out


def test_a_sweep_of_one_organisation_leaves_the_others_for_later(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = add_aged_leads(db, "Brightside Windows")
    add_aged_leads(db, "Elsewhere Glazing")
    code, out, _ = sweep(capsys, "--db", str(db), "--org", ours)
    assert code == 0
    assert re.match(r"swept 1 organisation\(s\) at \S+: 3 lead\(s\) changed", out), out
    code, out, _ = sweep(capsys, "--db", str(db))
    assert code == 0
    assert re.match(r"swept 2 organisation\(s\) at \S+: 3 lead\(s\) changed", out), out


def test_a_missing_file_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "leads.db"
    wrong_name = tmp_path / "lead.db"
    for path in (missing, wrong_name, tmp_path):
        code, out, err = sweep(capsys, "--db", str(path))
        assert (code, out) == (2, "")
        assert err == (
            f"contactlog: no database file at {str(path)!r}; sweep never creates one (check --db)\n"
        )
    assert list(tmp_path.iterdir()) == [], "no database, journal or WAL file was left behind"


@pytest.mark.parametrize("size", ["0", "-5", "100001", "ten", "1.5", ""])
def test_a_bad_batch_size_is_a_usage_error_not_a_traceback(
    db: Path, capsys: pytest.CaptureFixture[str], size: str
) -> None:
    add_aged_leads(db)
    with pytest.raises(SystemExit) as refused:
        main(["sweep", "--db", str(db), "--batch-size", size])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --batch-size: expected a whole number from 1 to 100000, got {size!r}" in err
    assert "Traceback" not in err


def test_library_errors_are_one_line_and_exit_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_aged_leads(db)
    assert sweep(capsys, "--db", str(db), "--org", "no-such-org") == (
        1,
        "",
        "contactlog: no organisation with id 'no-such-org'\n",
    )
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("shopping list\n", encoding="utf-8")
    code, out, err = sweep(capsys, "--db", str(not_a_database))
    assert (code, out) == (1, "")
    assert err.startswith("contactlog: the store could not open the database")
    assert err.count("\n") == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_live_progress_line_and_a_log_sees_none(db: Path) -> None:
    add_aged_leads(db)
    args = build_parser().parse_args(["sweep", "--db", str(db), "--batch-size", "2"])
    out, terminal = io.StringIO(), _Terminal()
    assert run_sweep(args, out=out, err=terminal) == 0
    lines = terminal.getvalue().split("\r")[1:]
    assert len(lines) == 3, "five leads that age, two per batch: one update per batch"
    assert re.fullmatch(
        r"sweeping: 3 lead\(s\) changed, 3 batch\(es\), \d+\.\d s\x1b\[K\n", lines[-1]
    )
    assert ": 3 lead(s) changed" in out.getvalue()

    not_a_terminal = io.StringIO()
    assert run_sweep(args, out=io.StringIO(), err=not_a_terminal) == 0
    assert not_a_terminal.getvalue() == ""


def test_the_console_script_sweeps_with_a_plain_log(db: Path) -> None:
    add_aged_leads(db)
    ran = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "sweep", "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.startswith("swept 1 organisation(s) at ")
    assert ran.stdout.endswith(
        ": 3 lead(s) changed (NOT_SCHEDULED->ABANDONED: 1,"
        " NOT_SCHEDULED->AVAILABLE: 1, NOT_SCHEDULED->PAST_DUE: 1)\n"
    )

    missing = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "sweep", "--db", str(db) + ".missing"],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
