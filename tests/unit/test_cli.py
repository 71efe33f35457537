"""``contactlog demo`` tells the seed scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from contactlog_core.cli import main


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
    positions = [out.index(step) for step in steps[:7]]
    assert positions == sorted(positions)
    assert steps[7] in out


def test_the_console_script_runs_and_rejects_unknown_commands() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "demo"], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "contactlog_core.cli", "fly"], capture_output=True, text=True
    )
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr
