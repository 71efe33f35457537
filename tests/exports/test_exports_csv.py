"""The CSV export: read back with the csv module, guarded against formulas, streamed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from contactlog_core.domain.interactions.model import ClientRef, Counterpart, Interaction
from contactlog_core.errors import ValidationError
from contactlog_core.exports import write_csv
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
NEW_YORK = "America/New_York"


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def guarded(cells: list[str]) -> list[str]:
    """The cells as the CSV must hold them: a formula's first character behind a quote."""
    return ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells]


def exported(items: list[Interaction], timezone: str = PARIS) -> bytes:
    out = io.BytesIO()
    assert write_csv(items, out, timezone=timezone) == len(items)
    return out.getvalue()


def test_the_rows_read_back_as_the_interactions_unicode_included() -> None:
    items = unicode_interactions()
    rows = read_back(exported(items))
    assert rows[0] == HEADER
    assert rows[1:] == [guarded(expected_cells(item, PARIS)) for item in items]
    assert "Ελένη Παπαδοπούλου" in rows[2]
    assert "王小明" in rows[4]
    # A phone number starts with "+": guarded too (Excel would read it as a formula).
    assert rows[2][7] == "'+30 210 123 4567"
    assert "Party 🎉 booked 👍🏽 for the team 👨‍👩‍👧" in rows[5]


def test_the_file_is_plain_utf8_with_crlf_line_ends_and_no_bom() -> None:
    data = exported([interaction(1)])
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.startswith(b"id,occurred_at,kind,direction,")
    assert data.count(b"\r\n") == 2
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_occurred_at_is_iso_8601_in_the_organisations_zone() -> None:
    rows = read_back(exported([interaction(0)], timezone=PARIS))
    assert rows[1][1] == "2026-11-23T09:15:00+01:00"
    rows = read_back(exported([interaction(0)], timezone="UTC"))
    assert rows[1][1] == "2026-11-23T08:15:00+00:00"


def test_commas_quotes_and_line_breaks_are_quoted_as_rfc_4180_says() -> None:
    item = interaction(
        1, subject='He said "no", then\r\nhung up', description="a, b", tags=("x, y",)
    )
    data = exported([item])
    assert b'"He said ""no"", then\r\nhung up"' in data
    assert read_back(data)[1][8:11] == ['He said "no", then\r\nhung up', "a, b", "x, y"]


@pytest.mark.parametrize(
    "subject",
    [
        "=1+2",
        '=HYPERLINK("http://evil.example","x")',
        "+44 20 7946 0958",
        "-5 degrees",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(subject: str) -> None:
    rows = read_back(exported([interaction(1, subject=subject)]))
    assert rows[1][8] == "'" + subject


def test_every_text_column_is_guarded_not_only_the_subject() -> None:
    item = interaction(
        1,
        client=ClientRef(id="-17", name="=cmd|' /C calc'!A0"),
        counterpart=Counterpart(name="@evil", address="+33 1 23 45 67 89"),
    )
    cells = read_back(exported([item]))[1]
    assert cells[4:8] == ["'-17", "'=cmd|' /C calc'!A0", "'@evil", "'+33 1 23 45 67 89"]


def test_values_the_library_makes_are_never_guarded_even_at_a_negative_offset() -> None:
    cells = read_back(exported([redacted(0)], timezone=NEW_YORK))[1]
    assert cells[1] == "2026-11-23T03:15:00-05:00"
    assert cells[17] == "2026-11-25T03:15:00-05:00"


def test_harmless_text_is_left_exactly_as_it_was() -> None:
    subject = "Invoice 5-7 = paid; cost +10% @ 3pm"
    assert read_back(exported([interaction(1, subject=subject)]))[1][8] == subject


def test_a_redacted_interaction_exports_its_tombstone() -> None:
    cells = dict(zip(HEADER, read_back(exported([redacted(3)]))[1], strict=True))
    assert cells["redacted"] == "yes"
    assert cells["redacted_by"] == "principal-1"
    assert cells["redacted_at"] == "2026-11-25T09:15:00+01:00"
    for column in ("subject", "description", "counterpart_name", "counterpart_address", "tags"):
        assert cells[column] == ""
    assert cells["id"] == "int-3"
    assert cells["source_ref"] == "<CAF-3@mail.example>"


def test_the_body_is_never_exported() -> None:
    assert SECRET_BODY.encode() not in exported(unicode_interactions())


def test_a_path_is_written_and_the_count_returned(tmp_path: Path) -> None:
    as_text, as_path = tmp_path / "a.csv", tmp_path / "b.csv"
    assert write_csv([interaction(1), interaction(2)], str(as_text), timezone=PARIS) == 2
    assert write_csv([interaction(1), interaction(2)], as_path, timezone=PARIS) == 2
    assert (
        as_text.read_bytes() == as_path.read_bytes() == exported([interaction(1), interaction(2)])
    )


def test_a_failed_export_leaves_no_file_behind(tmp_path: Path) -> None:
    target = tmp_path / "broken.csv"
    with pytest.raises(ValidationError, match=r"interactions\[1\]"):
        write_csv([interaction(1), "not an interaction"], target, timezone=PARIS)  # type: ignore[list-item]
    assert not target.exists()


def test_a_file_object_is_written_and_left_open() -> None:
    out = io.BytesIO()
    write_csv([interaction(1)], out, timezone=PARIS)
    assert not out.closed
    assert read_back(out.getvalue())[1][0] == "int-1"


@pytest.mark.slow
def test_memory_stays_flat_however_many_rows_are_written() -> None:
    def peak_and_size(count: int) -> tuple[int, int]:
        sink = CountingSink()
        peak = traced_peak(lambda: write_csv(many(count), sink, timezone=PARIS))
        return peak, sink.size

    small, _ = peak_and_size(2_000)
    large, written = peak_and_size(20_000)
    # One chunk of about 64 kB is held at a time: ten times the rows, the same memory,
    # far below holding the rows (~24 MB) or the output (~5 MB).
    assert written > 4_000_000
    assert large < small + 256 * 2**10
    assert large < 2 * 2**20
    assert large * 10 < held_rows_size(20_000)
