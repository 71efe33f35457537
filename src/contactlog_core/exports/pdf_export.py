"""Interactions as a PDF table to read and print (A4 landscape), with fpdf2.

A title line, then a table of the ``PDF_COLUMNS`` (a reading copy: ids,
sources and links are left to the CSV, XLSX and HTML exports), its header
row repeated on every page, "page 3 of 12" in every page's footer. Cells
wrap; a row is never split across pages.

**Font.** Noto Sans (Latin, Greek, Cyrillic, Vietnamese), from the
``fontpkg-noto-sans`` package of the ``export`` extra: a font file shipped
by a package, nothing committed here. ``font=`` takes another TrueType file,
e.g. one with CJK. A character the font lacks (an emoji, CJK in Noto Sans, a
control character) is drawn as U+FFFD, the replacement mark, so no text can
make the export fail.

**Speed.** fpdf2's own table lays out every cell with its general line
breaker, about 3 ms a row; this module wraps words itself with the font's
widths and draws each line with ``FPDF.text``, about 0.3 ms a row. The whole
document is built in memory (fpdf2 cannot stream): 10,000 rows are fine.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.exports._output import (
    INSTALL_HINT,
    Rows,
    Target,
    check_target,
    missing_library,
    open_target,
)
from contactlog_core.exports.columns import COLUMN_NAMES, EXPORT_COLUMNS, REPLACEMENT

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["FONT_FAMILY", "PDF_COLUMNS", "TITLE", "write_pdf"]

TITLE = "Interactions"
FONT_FAMILY = "Noto Sans"  # as the fontpkg registry names it
# Each column the PDF shows and its width in mm on A4 landscape (277 mm between the
# margins): an instant, "whatsapp", "outbound" and "Redacted" each fit on one line.
_LAYOUT: tuple[tuple[str, float], ...] = (
    ("occurred_at", 34),
    ("kind", 14),
    ("direction", 14),
    ("client_name", 28),
    ("counterpart_name", 28),
    ("counterpart_address", 34),
    ("subject", 50),
    ("description", 33),
    ("tags", 28),
    ("redacted", 14),
)
PDF_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _LAYOUT)
"""The columns the PDF shows, in order: those a person reads."""

_FONT = "export"  # the family name the font is registered under in the document
_SIZE = 7.0  # pt, the table's type
_TITLE_SIZE = 12.0
_MARGIN = 10.0  # mm, every side
_FOOTER = 7.0  # mm, the footer's band above the bottom margin
_LINE = 3.2  # mm, one line of 7 pt type
_PAD = 1.0  # mm, inside a cell
_HEADER_FILL = 225  # grey level of the header row
_PICKED = tuple(COLUMN_NAMES.index(name) for name in PDF_COLUMNS)


def write_pdf(
    interactions: Iterable[Interaction],
    target: Target,
    *,
    timezone: str,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
    font: str | os.PathLike[str] | None = None,
) -> int:
    """Write ``interactions`` as a PDF table to ``target``; return the number of rows.

    Needs fpdf2 and, unless ``font`` names a TrueType file, the Noto Sans
    package (both in the ``export`` extra); without them, ``ValidationError``
    says what to install. ``target``, ``progress`` and ``every`` work as in
    ``write_csv``; the document is written to ``target`` once complete.
    """
    rows = Rows(interactions, timezone=timezone, progress=progress, every=every)
    check_target(target)
    font_file = _font_file(font)
    try:
        from fpdf import FPDF
    except ImportError as e:
        raise missing_library("fpdf2", "PDF") from e

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(TITLE)
    pdf.set_creator("contactlog_core")
    try:
        pdf.add_font(_FONT, "", font_file)
    except Exception as e:  # fontTools raises its own errors for a file that is no font
        raise ValidationError("font", f"cannot use {font_file} as a TrueType font: {e}") from e
    try:
        table = _Table(pdf, timezone)
        for row in rows:
            table.row([row[i] for i in _PICKED])
        data = bytes(pdf.output())
    finally:
        # output() closes the font file; a failed export must too, or it stays open.
        _close_fonts(pdf)
    with open_target(target) as out:
        out.write(data)
    return rows.finish()


def _close_fonts(pdf: FPDF) -> None:
    from fpdf.fonts import TTFFont

    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            with contextlib.suppress(Exception):  # closed already by output()
                font.close()


def _font_file(font: str | os.PathLike[str] | None) -> str:
    if font is None:
        return _packaged_font()
    if not isinstance(font, str | os.PathLike) or not os.path.isfile(font):
        raise ValidationError("font", f"expected the path of a TrueType font file, got {font!r}")
    # Checked before fpdf2 opens it: fontTools leaves the file open when it is no font.
    with open(font, "rb") as file:
        if file.read(4) not in _FONT_SIGNATURES:
            raise ValidationError("font", f"{os.fspath(font)!r} is not a TrueType or OpenType font")
    return os.fspath(font)


_FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def _packaged_font() -> str:
    try:
        import fontpkg

        return str(fontpkg.path(FONT_FAMILY))
    except (ImportError, LookupError) as e:  # fontpkg's errors are LookupErrors
        raise ValidationError(
            "format",
            f"the PDF export needs the {FONT_FAMILY} font; install it with {INSTALL_HINT}"
            " or pass font= a TrueType file",
        ) from e


class _Table:
    """The document's pages: a title, then rows under a header repeated on every page."""

    def __init__(self, pdf: FPDF, timezone: str) -> None:
        self.pdf = pdf
        pdf.set_auto_page_break(False)
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_font(_FONT, size=_SIZE)
        self.text = _Text(pdf)
        usable = pdf.w - 2 * _MARGIN
        total = sum(mm for _, mm in _LAYOUT)
        self.widths = [usable * mm / total for _, mm in _LAYOUT]
        self.bottom = pdf.h - _MARGIN - _FOOTER
        # The most lines a cell may have: a row must fit on a page under the title and header.
        self.most_lines = int((self.bottom - _MARGIN) / _LINE) - 8
        self.titles = [
            self.wrap(EXPORT_COLUMNS[i].title, w) for i, w in zip(_PICKED, self.widths, strict=True)
        ]
        self.page(title=f"{TITLE} (times in {timezone})")

    def page(self, title: str = "") -> None:
        """A new page: its footer, the title on the first one, and the header row."""
        pdf = self.pdf
        pdf.add_page()
        pdf.set_xy(_MARGIN, pdf.h - _MARGIN - _FOOTER / 2)
        # cell(), not text(): only cell() fills in the page count, "{nb}", at the end.
        pdf.cell(0, _LINE, f"page {pdf.page_no()} of {{nb}}", align="C")
        self.y = _MARGIN
        if title:
            pdf.set_font(_FONT, size=_TITLE_SIZE)
            pdf.text(_MARGIN, self.y + _TITLE_SIZE * 0.3528, self.text.clean(title))
            pdf.set_font(_FONT, size=_SIZE)
            self.y += _TITLE_SIZE * 0.3528 * 1.6
        self.draw(self.titles, fill=True)

    def row(self, cells: Sequence[str]) -> None:
        """One row, on a new page if it does not fit on this one."""
        lines = [self.wrap(cell, width) for cell, width in zip(cells, self.widths, strict=True)]
        if self.y + self.height(lines) > self.bottom:
            self.page()
        self.draw(lines)

    def wrap(self, cell: str, width: float) -> list[str]:
        lines = self.text.wrap(self.text.clean(cell), width - 2 * _PAD)
        most = self.most_lines
        return lines if len(lines) <= most else [*lines[: most - 1], lines[most - 1] + "…"]

    @staticmethod
    def height(lines: Sequence[Sequence[str]]) -> float:
        return max(map(len, lines)) * _LINE + 2 * _PAD

    def draw(self, lines: Sequence[Sequence[str]], fill: bool = False) -> None:
        pdf, x, y = self.pdf, _MARGIN, self.y
        height = self.height(lines)
        if fill:
            pdf.set_fill_color(_HEADER_FILL)
        for cell_lines, width in zip(lines, self.widths, strict=True):
            pdf.rect(x, y, width, height, style="DF" if fill else "D")
            for number, line in enumerate(cell_lines):
                if line:
                    pdf.text(x + _PAD, y + _PAD + number * _LINE + _LINE * 0.75, line)
            x += width
        self.y = y + height


class _Text:
    """Text made drawable with the document's font, and wrapped to a width by its metrics."""

    def __init__(self, pdf: FPDF) -> None:
        from fpdf.fonts import TTFFont

        font = pdf.current_font
        known = set(font.cmap) if isinstance(font, TTFFont) else set(range(32, 127))
        self._chars = _CharMap(known, REPLACEMENT if ord(REPLACEMENT) in known else "?")
        self._measure: Callable[[str], float] = pdf.get_string_width
        self._widths: dict[str, float] = {}
        self._space = pdf.get_string_width(" ")

    def clean(self, text: str) -> str:
        """``text`` with tabs as spaces and every character the font lacks replaced (newlines kept)."""
        return text.translate(self._chars)

    def width(self, word: str) -> float:
        width = self._widths.get(word)
        if width is None:
            if len(self._widths) > 100_000:  # a bound on memory; words repeat a lot
                self._widths.clear()
            width = self._widths[word] = self._measure(word)
        return width

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` as lines no wider than ``width``: broken at spaces, long words anywhere."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words: list[str] = []
            used = 0.0
            for word in (piece for w in paragraph.split() for piece in self.pieces(w, width)):
                w = self.width(word)
                if words and used + self._space + w > width:
                    lines.append(" ".join(words))
                    words, used = [], 0.0
                used += w + (self._space if words else 0.0)
                words.append(word)
            lines.append(" ".join(words))
        return lines

    def pieces(self, word: str, width: float) -> list[str]:
        """``word`` whole if it fits in ``width``, else cut into pieces that do."""
        if self.width(word) <= width:
            return [word]
        pieces, piece, used = [], "", 0.0
        for char in word:
            w = self.width(char)
            if piece and used + w > width:
                pieces.append(piece)
                piece, used = "", 0.0
            piece += char
            used += w
        return [*pieces, piece]


class _CharMap(dict[int, str]):
    """``str.translate``'s table, filled as characters are met: kept, spaced or replaced."""

    def __init__(self, known: set[int], replacement: str) -> None:
        super().__init__()
        self._known = known
        self._replacement = replacement

    def __missing__(self, code: int) -> str:
        if code in (9, 13):  # tab, CR: a space
            found = " "
        elif code == 10 or code in self._known:
            found = chr(code)
        else:
            found = self._replacement
        self[code] = found
        return found
