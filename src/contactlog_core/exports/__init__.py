"""Exports of captured interactions: CSV, Excel (XLSX), PDF and a print-ready HTML page.

Every writer takes the interactions (any iterable, read once, in order), a
target (a path, or a binary file object), the organisation's time zone, and
an optional progress callback; it returns the number of rows written. CSV,
XLSX and HTML stream in constant memory; the PDF is built in memory. The
body of an interaction is never exported. XLSX and PDF need the ``export``
extra (``pip install 'contactlog-core[export]'``).

>>> import io
>>> from contactlog_core.exports import FORMATS, write_csv
>>> out = io.BytesIO()
>>> write_csv([], out, timezone="Europe/Paris")
0
>>> out.getvalue()[:32]
b'id,occurred_at,kind,direction,cl'
>>> sorted(FORMATS)
['csv', 'html', 'pdf', 'xlsx']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from contactlog_core.exports._output import BinarySink, Target
from contactlog_core.exports.columns import (
    COLUMN_NAMES,
    EXPORT_COLUMNS,
    Column,
    interaction_row,
)
from contactlog_core.exports.csv_export import write_csv
from contactlog_core.exports.html_export import write_html
from contactlog_core.exports.pdf_export import PDF_COLUMNS, write_pdf
from contactlog_core.exports.xlsx_export import write_xlsx

__all__ = [
    "COLUMN_NAMES",
    "EXPORT_COLUMNS",
    "FORMATS",
    "PDF_COLUMNS",
    "BinarySink",
    "Column",
    "Target",
    "Writer",
    "interaction_row",
    "write_csv",
    "write_html",
    "write_pdf",
    "write_xlsx",
]

Writer = Callable[..., int]
"""A writer: ``(interactions, target, *, timezone, progress=None, every=1000) -> int``."""

FORMATS: Mapping[str, Writer] = MappingProxyType(
    {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf, "html": write_html}
)
"""Each format's name (also its usual file extension) and its writer."""
