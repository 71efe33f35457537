"""Every ```python block of the docs and the README runs, in order, and its asserts hold.

The blocks of one page share a namespace, so a later block may use the names
an earlier one defined. A block whose info string is ``python norun`` is
skipped: keep those for snippets that cannot run here (a store that does not
exist yet), and keep them rare.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@attrs.frozen
class Block:
    """One fenced code block of a page."""

    info: str
    source: str
    line: int  # the line of the opening fence, 1-based

    @property
    def runs(self) -> bool:
        words = self.info.split()
        return bool(words) and words[0] == "python" and "norun" not in words[1:]


def fenced_blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown text, outermost only, content dedented to the fence."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        blocks.append(
            Block(info=opening["info"].strip(), source="\n".join(body) + "\n", line=i + 1)
        )
        i = j + 1
    return blocks


def page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def page_param(page: Path) -> Any:
    """The page as a test case; ``slow`` if its examples run Hypothesis properties.

    Those run at the profile's size (200 examples under ``ci``): too slow for
    ``nox -s tests``, so ``nox -s long`` runs them.
    """
    slow = "@given" in page.read_text(encoding="utf-8")
    return pytest.param(page, id=page_id(page), marks=[pytest.mark.slow] if slow else [])


@pytest.mark.parametrize("page", [page_param(page) for page in PAGES])
def test_the_python_examples_of_the_page_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = page_id(page)
    # A real module, so that classes defined in an example resolve their annotations and pickle.
    module = ModuleType(f"docs_example_{page.stem.replace('-', '_')}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for block in (b for b in fenced_blocks(page.read_text(encoding="utf-8")) if b.runs):
        # dont_inherit: the examples run as a reader's module would, without our __future__ imports.
        # The file name "page:line" puts the failing block in the traceback.
        code = compile(block.source, f"{name}:{block.line}", "exec", dont_inherit=True)
        exec(code, module.__dict__)


def test_blocks_are_found_with_their_info_strings() -> None:
    text = "\n".join(
        [
            "```python",
            "a = 1",
            "```",
            "````markdown",
            "```python",
            "inside = True",
            "```",
            "````",
            "!!! note",
            "    ```python norun",
            "    store = PostgresStore(dsn)",
            "    ```",
            "```mermaid",
            "stateDiagram-v2",
            "```",
        ]
    )
    blocks = fenced_blocks(text)
    assert [(b.info, b.line, b.runs) for b in blocks] == [
        ("python", 1, True),
        ("markdown", 4, False),
        ("python norun", 10, False),
        ("mermaid", 13, False),
    ]
    assert blocks[2].source == "store = PostgresStore(dsn)\n"
