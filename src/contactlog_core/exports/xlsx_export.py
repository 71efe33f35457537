"""Interactions as an Excel workbook (.xlsx), streamed with openpyxl's write-only mode.

One sheet, ``Interactions``: a bold header row of ``COLUMN_NAMES``, frozen
and repeated on every printed page, then one row per interaction. Every
cell is a text cell, ``occurred_at`` included, as ISO 8601 text in the
organisation's zone: an Excel date has no zone and no offset (the repeated
hour when the clocks go back cannot be told apart) and keeps milliseconds at
best, so only the text round-trips exactly. Text is never read as a
formula or an error value (a subject ``=1+2`` stays the text ``=1+2``), so
no ``'`` guard is needed here, and characters XML cannot hold (control
characters such as ``\\x07``) are replaced by U+FFFD, so no user data can
make the export fail.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.exports._output import (
    Rows,
    Target,
    check_target,
    missing_library,
    open_target,
)
from contactlog_core.exports.columns import EXPORT_COLUMNS, xml_safe

__all__ = ["SHEET_TITLE", "write_xlsx"]

SHEET_TITLE = "Interactions"
# openpyxl reads a text starting with "=" as a formula, and "#N/A" and kin as error values.
_NOT_PLAIN_TEXT = ("=", "#")


def write_xlsx(
    interactions: Iterable[Interaction],
    target: Target,
    *,
    timezone: str,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write ``interactions`` as an .xlsx workbook to ``target``; return the number of rows.

    Memory stays constant whatever the count: openpyxl's write-only mode
    writes each row to a temporary file and zips it at the end, and its
    strings are inline, not in a shared table. Needs openpyxl (the
    ``export`` extra); without it, ``ValidationError`` says what to install.
    ``target``, ``progress`` and ``every`` work as in ``write_csv``.
    """
    rows = Rows(interactions, timezone=timezone, progress=progress, every=every)
    check_target(target)
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError as e:
        raise missing_library("openpyxl", "XLSX") from e

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def text_cell(text: str) -> Any:
        # None leaves the cell out of the file: an empty cell, read back as None.
        if not text:
            return None
        text = xml_safe(text)
        if not text.startswith(_NOT_PLAIN_TEXT):
            return text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell

    try:
        for row in rows:
            sheet.append([text_cell(text) for text in row])
    except BaseException:
        _discard(sheet)
        raise
    with open_target(target) as out:
        workbook.save(out)
    return rows.finish()


def _discard(sheet: Any) -> None:
    """Close a half-written sheet and delete its temporary file, which openpyxl keeps till exit."""
    # Left open, the sheet's row writer fails noisily when the garbage collector closes it.
    with contextlib.suppress(Exception):
        sheet.close()
        sheet._writer.cleanup()  # private, but the one way to drop the file now
