"""Interactions as a standalone, print-ready HTML page, streamed; standard library only.

One ``<table>`` with every column of ``EXPORT_COLUMNS`` (titles in the
header, ``data-column`` naming each column), its ``<thead>`` repeated on
every printed page by the browser; a small print style sheet (A4 landscape,
small type, no row split across pages where it fits). Every text is escaped
with ``html.escape``, and characters HTML cannot carry (control characters)
are replaced by U+FFFD. Line breaks inside a cell are kept.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.exports._output import Rows, Target, check_target, open_target
from contactlog_core.exports.columns import EXPORT_COLUMNS, xml_safe

__all__ = ["PAGE_TITLE", "write_html"]

PAGE_TITLE = "Interactions"
_CHUNK = 1 << 16  # characters buffered between writes to the target

_STYLE = """\
@page { size: A4 landscape; margin: 10mm; }
body { font: 10pt system-ui, sans-serif; margin: 1em; }
h1 { font-size: 14pt; margin: 0 0 .2em; }
p.zone { margin: 0 0 1em; color: #444; }
table { border-collapse: collapse; }
th, td { border: 1px solid #999; padding: 2px 4px; vertical-align: top; text-align: left;
         white-space: pre-wrap; overflow-wrap: anywhere; }
thead th { background: #e8e8e8; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
@media print { body { font-size: 7pt; margin: 0; } }
"""


def _escape(text: str) -> str:
    return html.escape(xml_safe(text))


def _head(timezone: str) -> str:
    cells = "".join(
        f'<th scope="col" data-column="{c.name}">{_escape(c.title)}</th>' for c in EXPORT_COLUMNS
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{PAGE_TITLE}</title>\n<style>\n{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{PAGE_TITLE}</h1>\n"
        f'<p class="zone">Times in {_escape(timezone)}.</p>\n'
        f"<table>\n<thead>\n<tr>{cells}</tr>\n</thead>\n<tbody>\n"
    )


_TAIL = "</tbody>\n</table>\n</body>\n</html>\n"


def write_html(
    interactions: Iterable[Interaction],
    target: Target,
    *,
    timezone: str,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write ``interactions`` as an HTML page (UTF-8) to ``target``; return the number of rows.

    Memory stays constant whatever the count: rows are written in chunks of
    about 64 kB. ``target``, ``progress`` and ``every`` work as in ``write_csv``.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_html([], out, timezone="Europe/London")
    0
    >>> b"<thead>" in out.getvalue()
    True
    """
    rows = Rows(interactions, timezone=timezone, progress=progress, every=every)
    check_target(target)
    with open_target(target) as out:
        parts = [_head(timezone)]
        size = 0
        for row in rows:
            line = "<tr>" + "".join(f"<td>{_escape(cell)}</td>" for cell in row) + "</tr>\n"
            parts.append(line)
            size += len(line)
            if size >= _CHUNK:
                out.write("".join(parts).encode("utf-8", "replace"))
                parts.clear()
                size = 0
        parts.append(_TAIL)
        out.write("".join(parts).encode("utf-8", "replace"))
    return rows.finish()
