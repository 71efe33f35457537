"""The diagram in docs/ownership.md is the one the ownership table draws."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "gen_ownership_diagram.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_ownership_diagram", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ownership_page_shows_the_diagram_of_the_ownership_table() -> None:
    gen = load_generator()
    page = (ROOT / "docs" / "ownership.md").read_text(encoding="utf-8")
    assert gen.current_block(page) == gen.expected_block(), (
        "docs/ownership.md does not show mermaid_diagram() between its markers;"
        " run `python docs/gen_ownership_diagram.py` and commit the page"
    )


def test_the_generator_rewrites_only_the_block_between_the_markers() -> None:
    gen = load_generator()
    stale = f"# Title\n\n{gen.START}\n```mermaid\nstateDiagram-v2\n```\n{gen.END}\n\nAfter.\n"
    fresh = gen.rewrite(stale)
    assert fresh.startswith(f"# Title\n\n{gen.START}\n")
    assert fresh.endswith(f"{gen.END}\n\nAfter.\n")
    assert gen.current_block(fresh) == gen.expected_block()
    assert gen.rewrite(fresh) == fresh
