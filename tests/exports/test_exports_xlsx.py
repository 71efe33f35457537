"""The Excel export: read back with openpyxl, text kept as text, control characters replaced."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from contactlog_core.domain.interactions.model import Counterpart, Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.exports import write_xlsx
from tests.support.export_builders import (
    HEADER,
    SECRET_BODY,
    CountingSink,
    expected_cells,
    held_rows_size,
    interaction,
    many,
    redacted,
    traced_peak,
    unicode_interactions,
)

PARIS = "Europe/Paris"


def exported(items: list[Interaction], timezone: str = PARIS) -> bytes:
    out = io.BytesIO()
    assert write_xlsx(items, out, timezone=timezone) == len(items)
    return out.getvalue()


def read_back(data: bytes) -> list[list[str]]:
    """Every row as text, as wide as the header; an empty cell (None) as ""."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        (sheet,) = book.worksheets
        assert sheet.title == "Interactions"
        return [
            ["" if value is None else value for value in row]
            for row in sheet.iter_rows(values_only=True, max_col=len(HEADER))
        ]
    finally:
        book.close()


def test_the_rows_read_back_as_the_interactions_unicode_included() -> None:
    items = [*unicode_interactions(), redacted(6)]
    rows = read_back(exported(items))
    assert rows[0] == HEADER
    assert rows[1:] == [expected_cells(item, PARIS) for item in items]
    assert rows[4][5] == "王小明"
    assert rows[5][8] == "Party 🎉 booked 👍🏽 for the team 👨‍👩‍👧"


def test_every_cell_is_text_occurred_at_included() -> None:
    book = load_workbook(io.BytesIO(exported([interaction(0)])), read_only=True)
    row = next(book.active.iter_rows(min_row=2, max_row=2))
    assert row[1].value == "2026-11-23T09:15:00+01:00"
    assert {cell.data_type for cell in row if cell.value is not None} == {"s"}
    book.close()


@pytest.mark.parametrize(
    "subject",
    ["=1+2", '=HYPERLINK("http://evil.example","x")', "#N/A", "#REF!", "+44 20", "-5", "@x"],
)
def test_formulas_and_error_codes_stay_exactly_the_text_they_were(subject: str) -> None:
    data = exported([interaction(1, subject=subject)])
    book = load_workbook(io.BytesIO(data), read_only=True)
    cell = next(book.active.iter_rows(min_row=2, max_row=2))[8]
    assert (cell.value, cell.data_type) == (subject, "s")
    book.close()
    assert b"<f>" not in data  # no formula anywhere in the package


def test_control_characters_are_replaced_instead_of_failing_the_export() -> None:
    item = interaction(
        1,
        subject="bell\x07 escape\x1b vertical\x0b form\x0c end",
        counterpart=Counterpart(name="nul-free\x01\x02", address="tab\tand\nnewline"),
        description="\ufffe\uffff",
    )
    cells = read_back(exported([item]))[1]
    assert cells[8] == "bell\ufffd escape\ufffd vertical\ufffd form\ufffd end"
    assert cells[6] == "nul-free\ufffd\ufffd"
    assert cells[7] == "tab\tand\nnewline"  # tab and line feed are fine in XML
    assert cells[9] == "\ufffd\ufffd"


def test_the_header_is_bold_frozen_and_printed_on_every_page(tmp_path: Path) -> None:
    target = tmp_path / "interactions.xlsx"
    write_xlsx([interaction(1)], target, timezone=PARIS)
    book = load_workbook(target)  # the full reader: styles and sheet views
    sheet = book["Interactions"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.column_dimensions["I"].width >= 30  # the subject is wide
    book.close()


def test_the_body_is_never_exported() -> None:
    rows = read_back(exported(unicode_interactions()))
    assert not any(SECRET_BODY in cell for row in rows for cell in row)


def test_without_openpyxl_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now raises ImportError
    with pytest.raises(ValidationError, match=r"pip install 'contactlog-core\[export\]'"):
        write_xlsx([interaction(1)], io.BytesIO(), timezone=PARIS)


@pytest.mark.slow
def test_memory_stays_flat_however_many_rows_are_written() -> None:
    def peak_and_size(count: int) -> tuple[int, int]:
        sink = CountingSink()
        peak = traced_peak(lambda: write_xlsx(many(count), sink, timezone=PARIS))
        return peak, sink.size

    small, _ = peak_and_size(1_000)
    large, written = peak_and_size(10_000)
    # Write-only mode writes rows to a temporary file, with inline strings (no shared
    # string table growing with each unique text). Ten times the rows, the same memory,
    # far below holding the rows (~12 MB).
    assert written > 500_000
    assert large < small + 256 * 2**10
    assert large < 2 * 2**20
    assert large * 10 < held_rows_size(10_000)
