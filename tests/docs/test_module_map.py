"""The module map of docs/architecture.md names every module of the package, and only those.

The map is the "Module map" section: tables whose first column is a module's
dotted path below ``contactlog_core`` in backticks (`` `domain.leads.aging` ``),
``contactlog_core`` itself for the package, or a folder with a trailing slash
(`` `adapters.sqlite.migrations/` ``). The last column says **public** or
internal. A ``.py`` module must have a row, except ``__main__.py`` and an
``__init__.py`` that only re-exports names or holds a docstring; a row may
name those too, but nothing that does not exist.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "src" / "contactlog_core"
PACKAGE_NAME = "contactlog_core"

_SECTION = re.compile(r"^## +Module map *#*$", re.MULTILINE)
_NEXT_SECTION = re.compile(r"^## ", re.MULTILINE)
_SEPARATOR = re.compile(r"^\|?[\s:|-]+\|?$")
_CODE = re.compile(r"^`(?P<path>[^`]+)`$")


@attrs.frozen
class Row:
    """One row of the map: the module's path below the package, and its mark."""

    module: str
    public: bool
    line: int


def cells(line: str) -> list[str]:
    """The cells of a Markdown table row; pipes inside backticks or escaped do not split."""
    body = line.strip().removeprefix("|").removesuffix("|")
    found: list[str] = []
    current: list[str] = []
    in_code = False
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            found.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    found.append("".join(current).strip())
    return found


def map_rows(text: str) -> list[Row]:
    """The rows of every table in the page's "Module map" section."""
    heading = _SECTION.search(text)
    assert heading is not None, 'docs/architecture.md has no "## Module map" section'
    following = _NEXT_SECTION.search(text, heading.end())
    end = len(text) if following is None else following.start()
    first_line = text.count("\n", 0, heading.start()) + 1
    rows: list[Row] = []
    for offset, line in enumerate(text[heading.end() : end].splitlines()):
        if not line.lstrip().startswith("|") or _SEPARATOR.match(line.strip()):
            continue
        row = cells(line)
        code = _CODE.match(row[0])
        if code is None:
            continue  # the header row, or a row that names no module
        mark = row[-1].strip("* ").lower()
        assert mark in {"public", "internal"}, (
            f"docs/architecture.md:{first_line + offset}: "
            f"mark {code['path']} **public** or internal, not {row[-1]!r}"
        )
        rows.append(Row(code["path"].strip(), mark == "public", first_line + offset))
    return rows


def holds_something(init: Path) -> bool:
    """Whether an ``__init__.py`` holds more than a docstring, imports and ``__all__``."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if targets and all(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        return True
    return False


def dotted(path: Path) -> str:
    """A module's path below the package: ``domain/leads/aging.py`` is ``domain.leads.aging``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or PACKAGE_NAME


def in_package(path: Path) -> bool:
    """Whether ``path`` is part of the package, not a cache (``__pycache__``, ``.mypy_cache``)."""
    parts = path.relative_to(PACKAGE).parts
    return not any(part.startswith(".") or part == "__pycache__" for part in parts)


def modules() -> tuple[dict[str, str], set[str]]:
    """The modules the map must name (with their files), and every module and folder it may name."""
    required: dict[str, str] = {}
    existing: set[str] = set()
    for source in sorted(filter(in_package, PACKAGE.rglob("*.py"))):
        name = dotted(source)
        existing.add(name)
        if source.name == "__main__.py":
            continue
        if source.name == "__init__.py" and not holds_something(source):
            continue
        required[name] = source.relative_to(PACKAGE.parent).as_posix()
    for folder in filter(in_package, PACKAGE.rglob("*")):
        # A folder of data files, such as the SQL migrations, is named with a trailing slash.
        if folder.is_dir() and not (folder / "__init__.py").exists():
            existing.add(".".join(folder.relative_to(PACKAGE).parts) + "/")
    return required, existing


def page_rows() -> list[Row]:
    return map_rows(ARCHITECTURE.read_text(encoding="utf-8"))


def test_every_module_has_a_row() -> None:
    required, _ = modules()
    listed = {row.module for row in page_rows()}
    missing = sorted(set(required) - listed)
    assert not missing, "the module map of docs/architecture.md lacks:\n" + "\n".join(
        f"`{name}` ({required[name]})" for name in missing
    )


def test_every_row_names_a_module_that_exists() -> None:
    _, existing = modules()
    unknown = [row for row in page_rows() if row.module not in existing]
    assert not unknown, "the module map of docs/architecture.md names what does not exist:\n" + (
        "\n".join(f"docs/architecture.md:{row.line}: `{row.module}`" for row in unknown)
    )


def test_no_module_has_two_rows() -> None:
    seen: dict[str, int] = {}
    twice: list[str] = []
    for row in page_rows():
        if row.module in seen:
            twice.append(f"`{row.module}`: lines {seen[row.module]} and {row.line}")
        seen.setdefault(row.module, row.line)
    assert not twice, "the module map of docs/architecture.md repeats:\n" + "\n".join(twice)


def public_modules() -> set[str]:
    """The public modules as ``test_public_api`` lists them, by path below the package."""
    # Loaded from its file, so that this works however the tests folder is laid out.
    spec = importlib.util.spec_from_file_location(
        "_public_api_listing", Path(__file__).with_name("test_public_api.py")
    )
    assert spec is not None
    assert spec.loader is not None
    listing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(listing)
    return {name.removeprefix(f"{PACKAGE_NAME}.") for name in listing.PUBLIC_MODULES}


def test_public_marks_agree_with_the_public_modules() -> None:
    public = public_modules()
    wrong = [
        f"docs/architecture.md:{row.line}: `{row.module}` should be marked "
        + ("**public**" if row.module in public else "internal")
        for row in page_rows()
        if row.public != (row.module in public)
    ]
    assert not wrong, "\n".join(wrong)


def test_rows_are_read_from_the_module_map_only() -> None:
    text = "\n".join(
        [
            "## Layers",
            "| `cli` | the command | internal |",
            "## Module map",
            "",
            "### The shared kernel",
            "",
            "| module | holds | API |",
            "| --- | --- | --- |",
            "| `domain.shared.text` | `fold`, `a|b` | internal |",
            "| ` ports ` | the protocols | **public** |",
            "| not a module | text | internal |",
            "",
            "## One use case",
            "| `application.app` | the app | internal |",
        ]
    )
    assert [(r.module, r.public, r.line) for r in map_rows(text)] == [
        ("domain.shared.text", False, 9),
        ("ports", True, 10),
    ]


def test_a_row_without_a_mark_is_refused() -> None:
    text = "## Module map\n\n| `ports` | the protocols | maybe |\n"
    with pytest.raises(AssertionError, match="mark ports"):
        map_rows(text)


def test_init_files_that_only_re_export_need_no_row(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text('"""Doc."""\n\nfrom x import y\n\n__all__ = ["y"]\n', encoding="utf-8")
    holding = tmp_path / "holding.py"
    holding.write_text('"""Doc."""\n\nfrom x import y\n\nFORMATS = {"y": y}\n', encoding="utf-8")
    assert not holds_something(plain)
    assert holds_something(holding)
