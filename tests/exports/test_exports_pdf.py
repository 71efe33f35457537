"""The PDF export: text read back with pypdf, a header and a page count on every page."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import fontpkg
import pytest
from pypdf import PdfReader

from contactlog_core.domain.interactions.model import Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.exports import write_pdf
from tests.support.export_builders import (
    SECRET_BODY,
    interaction,
    many,
    redacted,
    unicode_interactions,
)

PARIS = "Europe/Paris"
TITLES = [
    "Occurred at",
    "Kind",
    "Direction",
    "Client",
    "Counterpart",
    "Counterpart address",
    "Subject",
    "Description",
    "Tags",
    "Redacted",
]


def exported(items: list[Interaction], **options: object) -> PdfReader:
    out = io.BytesIO()
    assert write_pdf(items, out, timezone=PARIS, **options) == len(items)  # type: ignore[arg-type]
    return PdfReader(io.BytesIO(out.getvalue()))


def page_text(reader: PdfReader, number: int) -> str:
    """The text of page ``number`` (from 1), its runs of white space made single spaces."""
    return " ".join(reader.pages[number - 1].extract_text().split())


def test_accents_greek_and_cyrillic_read_back_as_they_were() -> None:
    items = unicode_interactions()[:3]
    text = page_text(exported(items), 1)
    for item in items:
        for cell in (item.client.name, item.counterpart.name, item.subject, item.description):
            assert cell in text
        assert "; ".join(item.tags) in text
    assert "2026-11-23T09:16:00+01:00" in text
    assert "Συνάντηση για το συμβόλαιο" in text  # noqa: RUF001 - Greek on purpose
    assert "Счёт за ремонт крыши" in text


def test_characters_the_font_lacks_are_replaced_visibly_not_fatal() -> None:
    emoji, cjk = unicode_interactions()[4], unicode_interactions()[3]
    text = page_text(exported([emoji, cjk]), 1)
    assert "Party \ufffd booked \ufffd\ufffd for the team" in text
    assert "🎉" not in text
    assert "Sam \ufffd" in text
    assert "\ufffd\ufffd\ufffd" in text  # 王小明: Noto Sans has no CJK
    assert "+86 10 1234 5678" in text


def test_each_page_has_the_header_and_its_number_of_the_total() -> None:
    reader = exported(list(many(150)))
    pages = len(reader.pages)
    assert pages > 2
    for number in range(1, pages + 1):
        text = page_text(reader, number)
        assert " ".join(TITLES) in text
        assert f"page {number} of {pages}" in text
    assert "Interactions (times in Europe/Paris)" in page_text(reader, 1)
    assert "Interactions (times" not in page_text(reader, 2)


def test_the_page_is_a4_landscape() -> None:
    box = exported([interaction(1)]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_a_redacted_interaction_shows_as_redacted_without_content() -> None:
    text = page_text(exported([redacted(1)]), 1)
    assert text.endswith("yes page 1 of 1") or "inbound Jane Doe yes" in text
    assert "Invoice" not in text


def test_the_body_is_never_exported() -> None:
    assert SECRET_BODY not in page_text(exported(unicode_interactions()), 1)


def test_long_text_wraps_and_a_huge_cell_is_cut_to_fit_a_page() -> None:
    words = " ".join(f"word{n}" for n in range(80))
    unbroken = "x" * 500
    huge = "lorem ipsum " * 5_000  # no capture would let this in; an export must not fail
    reader = exported(
        [
            interaction(1, subject=words),
            interaction(2, subject=unbroken),
            interaction(3, subject=huge),
        ]
    )
    first = page_text(reader, 1)
    assert words in first
    assert first.replace(" ", "").count("x" * 500) == 1
    assert len(reader.pages) == 2  # the huge row alone on page 2, cut to what fits
    assert page_text(reader, 2).count("lorem ipsum") < 1_000
    assert "…" in page_text(reader, 2)


def test_the_page_count_placeholder_in_user_text_is_left_alone() -> None:
    text = page_text(exported([interaction(1, subject="see {nb} pages")]), 1)
    assert "see {nb} pages" in text


@pytest.mark.slow
def test_ten_thousand_rows_are_written() -> None:
    reader = exported(list(many(10_000)))
    pages = len(reader.pages)
    assert pages > 100
    last = page_text(reader, pages)
    assert "RE: Invoice 9999 for the roof repair" in last
    assert f"page {pages} of {pages}" in last


def test_another_truetype_font_can_be_given(tmp_path: Path) -> None:
    copy = tmp_path / "MyFont.ttf"
    copy.write_bytes(fontpkg.path("Noto Sans").read_bytes())
    assert "Ελένη" in page_text(exported(unicode_interactions()[1:2], font=copy), 1)


def test_a_font_that_is_missing_or_no_font_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="font"):
        write_pdf([], io.BytesIO(), timezone=PARIS, font=tmp_path / "nope.ttf")
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("not a font")
    with pytest.raises(ValidationError, match="font"):
        write_pdf([], io.BytesIO(), timezone=PARIS, font=not_a_font)


@pytest.mark.parametrize(("module", "named"), [("fpdf", "fpdf2"), ("fontpkg", "Noto Sans")])
def test_without_the_export_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, named: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ImportError
    with pytest.raises(ValidationError, match=r"pip install 'contactlog-core\[export\]'") as error:
        write_pdf([interaction(1)], io.BytesIO(), timezone=PARIS)
    assert named in str(error.value)
