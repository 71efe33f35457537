"""What every writer promises: the columns, the progress reports, and refusals as ValidationError."""

from __future__ import annotations

import doctest
import io
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

import contactlog_core.exports as exports
from contactlog_core.domain.interactions.model import Counterpart
from contactlog_core.errors import ValidationError
from contactlog_core.exports import EXPORT_COLUMNS, FORMATS, interaction_row
from tests.support.export_builders import HEADER, expected_cells, interaction, redacted

PARIS = "Europe/Paris"
Writer = Callable[..., int]


@pytest.fixture(params=sorted(FORMATS))
def writer(request: pytest.FixtureRequest) -> Writer:
    """Each format's writer in turn."""
    return FORMATS[request.param]


def test_the_four_formats_and_the_public_names() -> None:
    assert set(FORMATS) == {"csv", "xlsx", "pdf", "html"}
    assert FORMATS["csv"] is exports.write_csv
    assert FORMATS["xlsx"] is exports.write_xlsx
    assert FORMATS["pdf"] is exports.write_pdf
    assert FORMATS["html"] is exports.write_html
    for name in ("write_csv", "write_xlsx", "write_pdf", "write_html", "EXPORT_COLUMNS", "FORMATS"):
        assert name in exports.__all__


@pytest.mark.parametrize(
    "module",
    [
        exports,
        exports.columns,
        exports.csv_export,
        exports.html_export,
        exports.xlsx_export,
        exports.pdf_export,
    ],
    ids=lambda module: module.__name__,
)
def test_the_examples_in_the_docstrings_hold(module: ModuleType) -> None:
    assert doctest.testmod(module, raise_on_error=True).failed == 0


def test_the_column_names_are_stable_and_lower_snake_case() -> None:
    assert [column.name for column in EXPORT_COLUMNS] == HEADER
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", name) for name in HEADER)
    assert "body" not in HEADER


def test_a_row_is_the_interactions_cells_in_the_organisations_zone() -> None:
    item = interaction(0, links=attrs.evolve(interaction(0).links, log_id="log-9"))
    assert list(interaction_row(item, PARIS)) == expected_cells(item, PARIS)
    assert interaction_row(item, "America/New_York")[1] == "2026-11-23T03:15:00-05:00"
    later = interaction(0, occurred_at=item.occurred_at.add(microseconds=250))
    assert interaction_row(later, "UTC")[1] == "2026-11-23T08:15:00.000250+00:00"


def test_a_redacted_interaction_never_shows_content_it_still_carries() -> None:
    # Built by hand with content left in: the export empties it all the same.
    leaky = attrs.evolve(
        redacted(1),
        subject="secret",
        description="secret",
        counterpart=Counterpart("secret", "secret"),
        tags=("secret",),
    )
    cells = interaction_row(leaky, PARIS)
    assert "secret" not in cells
    assert cells[15:17] == ("yes", "principal-1")


def test_a_naive_instant_is_refused_not_guessed() -> None:
    naive = interaction(1, occurred_at=interaction(1).occurred_at.naive())
    with pytest.raises(ValidationError, match="occurred_at"):
        interaction_row(naive, PARIS)


@pytest.mark.parametrize(
    ("count", "every", "reports"), [(7, 3, [3, 6, 7]), (6, 3, [3, 6]), (0, 3, [0]), (2, 1000, [2])]
)
def test_progress_reports_every_so_many_rows_and_the_total_last(
    writer: Writer, count: int, every: int, reports: list[int]
) -> None:
    seen: list[int] = []
    written = writer(
        [interaction(n) for n in range(count)],
        io.BytesIO(),
        timezone=PARIS,
        progress=seen.append,
        every=every,
    )
    assert written == count
    assert seen == reports


def test_a_path_and_a_file_object_get_the_same_bytes(writer: Writer, tmp_path: Path) -> None:
    items = [interaction(1), redacted(2)]
    out = io.BytesIO()
    writer(items, out, timezone=PARIS)
    path = tmp_path / "export.out"
    assert writer(items, path, timezone=PARIS) == 2
    if writer in (exports.write_csv, exports.write_html):
        assert path.read_bytes() == out.getvalue()
    else:  # a zip's entries and a PDF's metadata carry the time they were written
        assert path.stat().st_size > 1000


BAD_OPTIONS: list[tuple[str, dict[str, Any], str]] = [
    ("an unknown zone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ("an empty zone", {"timezone": ""}, "timezone"),
    ("a zone that is no text", {"timezone": 1}, "timezone"),
    ("a zone in a list", {"timezone": ["Europe/Paris"]}, "timezone"),
    ("every zero", {"every": 0}, "every"),
    ("every as text", {"every": "10"}, "every"),
    ("every as a bool", {"every": True}, "every"),
    ("progress not callable", {"progress": "print"}, "progress"),
]


@pytest.mark.parametrize(
    ("options", "field"), [(o, f) for _, o, f in BAD_OPTIONS], ids=[n for n, _, _ in BAD_OPTIONS]
)
def test_bad_options_are_refused_before_anything_is_written(
    writer: Writer, options: dict[str, Any], field: str, tmp_path: Path
) -> None:
    target = tmp_path / "never.out"
    arguments = {"timezone": PARIS, **options}
    with pytest.raises(ValidationError) as error:
        writer([interaction(1)], target, **arguments)
    assert error.value.field == field
    assert not target.exists()


@pytest.mark.parametrize(
    "target",
    [42, None, b"/tmp/bytes-path", "", object(), io.StringIO()],
    ids=["a number", "None", "a bytes path", "an empty path", "an object", "a text file"],
)
def test_a_target_that_is_no_path_nor_binary_file_is_refused(
    writer: Writer, target: object
) -> None:
    with pytest.raises(ValidationError) as error:
        writer([interaction(1)], target, timezone=PARIS)
    assert error.value.field == "target"


def test_a_text_file_is_told_to_open_in_binary_mode(writer: Writer, tmp_path: Path) -> None:
    with (
        open(tmp_path / "text.out", "w", encoding="utf-8") as text_file,
        pytest.raises(ValidationError, match="binary mode"),
    ):
        writer([interaction(1)], text_file, timezone=PARIS)


@pytest.mark.parametrize(
    "interactions",
    [42, None, interaction(1)],
    ids=["a number", "None", "one interaction, not an iterable of them"],
)
def test_interactions_that_are_no_iterable_are_refused(
    writer: Writer, interactions: object
) -> None:
    with pytest.raises(ValidationError) as error:
        writer(interactions, io.BytesIO(), timezone=PARIS)
    assert error.value.field == "interactions"


@pytest.mark.parametrize("item", ["text", {"id": "int-1"}, None], ids=["text", "a dict", "None"])
def test_an_item_that_is_no_interaction_is_refused_by_its_position(
    writer: Writer, item: object, tmp_path: Path
) -> None:
    target = tmp_path / "broken.out"
    with pytest.raises(ValidationError) as error:
        writer([interaction(1), interaction(2), item], target, timezone=PARIS)
    assert error.value.field == "interactions[2]"
    assert not target.exists()  # no half export left behind
