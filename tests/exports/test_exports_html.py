"""The HTML export: parsed back with html.parser, every text escaped, ready to print."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest

from contactlog_core.domain.interactions.model import Counterpart, Interaction
from contactlog_core.exports import EXPORT_COLUMNS, write_html
from tests.support.export_builders import (
    HEADER,
    SECRET_BODY,
    CountingSink,
    expected_cells,
    interaction,
    many,
    redacted,
    traced_peak,
    unicode_interactions,
)

PARIS = "Europe/Paris"


class TableReader(HTMLParser):
    """The header cells, the body rows and every start tag of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.header: list[str] = []
        self.header_columns: list[str] = []
        self.rows: list[list[str]] = []
        self.meta_charset = ""
        self._section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "meta":
            self.meta_charset = dict(attrs).get("charset") or self.meta_charset
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "th":
                self.header_columns.append(dict(attrs).get("data-column") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell)
            (self.header if tag == "th" else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def exported(items: list[Interaction], timezone: str = PARIS) -> str:
    out = io.BytesIO()
    assert write_html(items, out, timezone=timezone) == len(items)
    return out.getvalue().decode("utf-8")


def read_back(page: str) -> TableReader:
    reader = TableReader()
    reader.feed(page)
    reader.close()
    return reader


def test_the_rows_read_back_as_the_interactions_unicode_included() -> None:
    items = [*unicode_interactions(), redacted(6)]
    page = read_back(exported(items))
    assert page.header_columns == HEADER
    assert page.header == [column.title for column in EXPORT_COLUMNS]
    assert page.rows == [expected_cells(item, PARIS) for item in items]
    assert page.rows[3][5] == "王小明"
    assert page.rows[4][8] == "Party 🎉 booked 👍🏽 for the team 👨‍👩‍👧"


def test_the_page_stands_alone_and_prints_its_header_on_every_page() -> None:
    text = exported([interaction(1)])
    page = read_back(text)
    assert text.startswith("<!DOCTYPE html>")
    assert page.meta_charset == "utf-8"
    assert page.tags.count("table") == 1
    assert page.tags.count("thead") == 1
    assert "thead { display: table-header-group; }" in text
    assert "@page { size: A4 landscape;" in text
    assert "Times in Europe/Paris." in text
    assert not {"script", "link", "img"} & set(page.tags)  # nothing fetched from elsewhere


def test_markup_in_the_data_is_shown_as_text_never_run() -> None:
    item = interaction(
        1,
        subject='<script>alert("x")</script> & <b>bold</b>',
        counterpart=Counterpart(name='O\'Brien "Bob"', address="<a@b.example>"),
    )
    page = read_back(exported([item]))
    assert "script" not in page.tags
    assert "b" not in page.tags
    assert page.rows[0][8] == '<script>alert("x")</script> & <b>bold</b>'
    assert page.rows[0][6:8] == ['O\'Brien "Bob"', "<a@b.example>"]


def test_control_characters_are_replaced_and_line_breaks_kept() -> None:
    item = interaction(1, subject="bell\x07 and\x1b", description="line one\nline two")
    row = read_back(exported([item])).rows[0]
    assert row[8] == "bell\ufffd and\ufffd"
    assert row[9] == "line one\nline two"


def test_the_body_is_never_exported() -> None:
    assert SECRET_BODY not in exported(unicode_interactions())


@pytest.mark.slow
def test_memory_stays_flat_however_many_rows_are_written() -> None:
    def peak(count: int) -> int:
        return traced_peak(lambda: write_html(many(count), CountingSink(), timezone=PARIS))

    assert peak(20_000) < peak(2_000) + 256 * 2**10
