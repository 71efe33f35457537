"""``contactlog export`` writes one staff member's interactions (all, or a search) to a file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

import contactlog_core as cl
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.cli.export import run_export
from contactlog_core.cli.main import build_parser


def captured(db: Path) -> tuple[str, str]:
    """Three interactions of one organisation, one of another; returns both staff ids."""
    app = cl.ContactLogApp(SqliteStore(db))
    try:
        ids = []
        for name, subjects in (
            ("Northfield", ["Invoice 7", "Boiler booked", "Invoice 9"]),
            ("Elsewhere", ["Invoice 1"]),
        ):
            org = app.organisations.create(name)
            me = app.actor(app.staff.add(org.id, name="Sam", role="office_admin").id)
            for n, subject in enumerate(subjects):
                app.interactions.capture(
                    me,
                    {
                        "client": {"id": "c1", "name": "Zoë"},
                        "kind": "email",
                        "source": "imap",
                        "source_ref": f"<{n}>",
                        "occurred_at": f"2026-11-0{n + 1}T09:00:00+00:00",
                        "subject": subject,
                        "tags": [],
                    },
                )
            ids.append(me.staff_id)
        return ids[0], ids[1]
    finally:
        app.close()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_export(build_parser().parse_args(["export", *argv]), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_export_writes_what_the_staff_member_sees(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    sam, _ = captured(db)
    code, out, _ = run("--db", str(db), "--staff", sam, "--out", str(tmp_path / "all.csv"))
    assert (code, out.strip()) == (0, f"exported 3 interaction(s) to {tmp_path / 'all.csv'} (csv)")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text(encoding="utf-8"))))
    assert [r["subject"] for r in rows] == ["Invoice 9", "Boiler booked", "Invoice 7"]
    assert {r["client_name"] for r in rows} == {"Zoë"}
    xlsx = tmp_path / "invoices.xlsx"
    code, out, _ = run("--db", str(db), "--staff", sam, "--out", str(xlsx), "--search", "invoice")
    book = openpyxl.load_workbook(xlsx, read_only=True)
    sheet = book.active
    assert sheet is not None
    assert len(list(sheet.iter_rows())) == 3  # the header and two invoices
    book.close()
    assert out.endswith("(xlsx)\n")


def test_export_refuses_a_missing_database(tmp_path: Path) -> None:
    code, _, err = run(
        "--db", str(tmp_path / "no.db"), "--staff", "x", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert "no database file" in err
    assert not (tmp_path / "no.db").exists()
