"""The repository stands on its own: it cites no document outside it, and its rule citations resolve.

The domain rules are stated in docs/rules.md, and docstrings cite its
sections by name. These tests fail, naming file and line, when a tracked
file points at a document that is not in the repository, or when a citation
of the rules page names a section the page does not have.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"

# History may name what the project once cited; it is not a live reference.
SKIPPED = frozenset({"CHANGELOG.md"})

# Built from pieces, so that this file does not cite them itself.
OUTSIDE_DOCUMENTS = (
    "DESIGN" + ".md",
    ".." + "/shared",
    "shared" + "/data",
    "LAYOUT" + ".md",
    "STYLE" + ".md",
    "POSTGRES" + ".md",
)

# A citation of a section of the rules page, in either of the two forms the
# docstrings use: the page, a comma and a quoted section name; or the page and
# the quoted name in brackets. Further names may follow ("A" and "B").
_PAGE = re.escape("docs/" + "rules.md")
_NAME = r'"[^"\n]+"'
_CITATION = re.compile(
    rf"{_PAGE}(?:,[\s#]*|[ \t]*\([\s#]*)(?P<first>{_NAME})"
    rf"(?P<more>(?:[\s#]*(?:,|and|or)[\s#]*{_NAME})*)"
)
_HEADING = re.compile(r"^## +(?P<title>.+?) *#*$", re.MULTILINE)


@attrs.frozen
class Citation:
    """A section of the rules page named by ``path`` at ``line``."""

    path: str
    line: int
    section: str


# Outside a git checkout (an unpacked source archive), every file but these is read.
_NOT_SOURCE = frozenset({".git", ".nox", ".venv", "site", "build", "dist", "__pycache__"})


def tracked_files() -> list[str]:
    """The repository's files as git tracks them (or, without git, as they lie), from the root."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z"],
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return [
            str(path.relative_to(ROOT))
            for path in ROOT.rglob("*")
            if path.is_file()
            and not _NOT_SOURCE.intersection(path.relative_to(ROOT).parts)
            and not any(part.startswith(".") for part in path.relative_to(ROOT).parts[:-1])
        ]
    return [name for name in listed.stdout.decode("utf-8").split("\0") if name]


def text_of(path: Path) -> str | None:
    """The file as text, or ``None`` for a binary file or one that is gone."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_files(under: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``(name, text)`` of every tracked text file (only those ``under`` these folders, if given)."""
    files = []
    for name in tracked_files():
        if name in SKIPPED or (under and not name.startswith(under)):
            continue
        text = text_of(ROOT / name)
        if text is not None:
            files.append((name, text))
    return files


def citations(name: str, text: str) -> list[Citation]:
    """Every section of the rules page that ``text`` cites, with its line."""
    found = []
    for match in _CITATION.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        names = [match["first"], *re.findall(_NAME, match["more"])]
        found.extend(Citation(name, line, section.strip('"')) for section in names)
    return found


def rules_sections() -> set[str]:
    """The second-level headings of the rules page."""
    return {m["title"].strip() for m in _HEADING.finditer(RULES.read_text(encoding="utf-8"))}


def test_no_file_cites_a_document_outside_the_repository() -> None:
    problems = []
    for name, text in text_files():
        for number, line in enumerate(text.splitlines(), start=1):
            cited = [outside for outside in OUTSIDE_DOCUMENTS if outside in line]
            if cited:
                problems.append(f"{name}:{number}: cites {', '.join(cited)}: {line.strip()}")
    assert not problems, "documents outside the repository are cited:\n" + "\n".join(problems)


def test_every_citation_of_the_rules_names_a_section_of_the_page() -> None:
    sections = rules_sections()
    found = [c for name, text in text_files(("src/", "tests/")) for c in citations(name, text)]
    assert found, "no citation of the rules page found: is the pattern out of date?"
    problems = [
        f"{c.path}:{c.line}: cites section {c.section!r}, which the page lacks"
        for c in found
        if c.section not in sections
    ]
    known = ", ".join(sorted(sections))
    assert not problems, f"sections of the rules page: {known}\n" + "\n".join(problems)
