"""Rewrite the ownership diagram in docs/ownership.md from the ownership table.

Run ``python docs/gen_ownership_diagram.py`` after changing ``OWNERSHIP_RULES``;
``tests/docs/test_ownership_diagram.py`` fails until the page matches
:func:`contactlog_core.domain.logs.rules.mermaid_diagram`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from contactlog_core.domain.logs.rules import mermaid_diagram

PAGE = Path(__file__).with_name("ownership.md")
START = "<!-- ownership-diagram:start -->"
END = "<!-- ownership-diagram:end -->"
_BETWEEN = re.compile(re.escape(START) + r"\n(.*?)" + re.escape(END), re.DOTALL)


def expected_block() -> str:
    """What belongs between the markers: a mermaid fence holding ``mermaid_diagram()``."""
    return f"```mermaid\n{mermaid_diagram()}```\n"


def current_block(page: str) -> str:
    """What is between the markers of ``page`` now."""
    match = _BETWEEN.search(page)
    if match is None:
        raise ValueError(f"the page needs the lines {START!r} and {END!r}, in that order")
    return match.group(1)


def rewrite(page: str) -> str:
    """``page`` with the block between the markers replaced by :func:`expected_block`."""
    current_block(page)  # refuse a page without both markers
    return _BETWEEN.sub(lambda _: f"{START}\n{expected_block()}{END}", page, count=1)


def main() -> int:
    page = PAGE.read_text(encoding="utf-8")
    updated = rewrite(page)
    if updated == page:
        print(f"{PAGE}: diagram already up to date")
    else:
        PAGE.write_text(updated, encoding="utf-8")
        print(f"{PAGE}: diagram rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
