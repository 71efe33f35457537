"""docs/leads.md shows the diagram and the rule table that LEAD_RULES and AGING_EDGES draw.

Both live between marker comments on the page. After changing the tables, run
``python tests/docs/test_lead_diagram.py`` to rewrite them, and commit the page.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from contactlog_core.domain.leads.model import LeadStatus
from contactlog_core.domain.leads.rules import (
    LEAD_RULES,
    LeadOwnerAfter,
    LeadRule,
    LeadWho,
    lead_mermaid_diagram,
)

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "leads.md"

_OWNER_AFTER = {
    LeadOwnerAfter.ACTOR: "the actor",
    LeadOwnerAfter.ASSIGNEE: "the assignee",
    LeadOwnerAfter.ASSIGNEE_OR_ACTOR: "the assignee, else the actor",
    LeadOwnerAfter.UNCHANGED: "unchanged",
}


def diagram_block() -> str:
    """A mermaid fence holding ``lead_mermaid_diagram()``, exactly."""
    return f"```mermaid\n{lead_mermaid_diagram()}```\n"


def rules_table() -> str:
    """``LEAD_RULES`` as a Markdown table, one row per command, statuses in their enum order."""
    lines = [
        "| command | from | who may | owner after | restarts the clock | can end in |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines.extend(
        f"| `{r.command}` | {_statuses(r.sources) or 'new'} | {_who(r)}"
        f" | {_OWNER_AFTER[r.owner_after]} | {'yes' if r.restarts_clock else 'no'}"
        f" | {_statuses(r.targets)} |"
        for r in LEAD_RULES
    )
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {"lead-diagram": diagram_block, "lead-rules": rules_table}
"""Each marker name on the page, and what belongs between its markers."""


def _statuses(chosen: Iterable[LeadStatus]) -> str:
    wanted = set(chosen)
    return ", ".join(f"`{s}`" for s in LeadStatus if s in wanted)


def _who(rule: LeadRule) -> str:
    if rule.who is LeadWho.PERMISSION:
        return f"a role granted `{rule.permission}`"
    return str(rule.who)


def _match(page: str, name: str) -> re.Match[str]:
    start, end = re.escape(f"<!-- {name}:start -->"), re.escape(f"<!-- {name}:end -->")
    match = re.search(f"{start}\n(.*?){end}", page, re.DOTALL)
    if match is None:
        raise ValueError(f"the page needs <!-- {name}:start --> and <!-- {name}:end -->, in order")
    return match


def current_block(page: str, name: str) -> str:
    """What is between the ``name`` markers of ``page`` now."""
    return _match(page, name).group(1)


def rewrite(page: str) -> str:
    """``page`` with every block between markers replaced by what belongs there."""
    for name, expected in BLOCKS.items():
        match = _match(page, name)
        page = page[: match.start(1)] + expected() + page[match.end(1) :]
    return page


@pytest.mark.parametrize("name", BLOCKS)
def test_the_leads_page_shows_what_the_lead_tables_draw(name: str) -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert current_block(page, name) == BLOCKS[name](), (
        f"docs/leads.md is stale between its {name} markers;"
        " run `python tests/docs/test_lead_diagram.py` and commit the page"
    )


def test_the_rewrite_touches_only_the_blocks_between_the_markers() -> None:
    stale = (
        "# Leads\n\n<!-- lead-diagram:start -->\n```mermaid\nstateDiagram-v2\n```\n"
        "<!-- lead-diagram:end -->\n\nBetween.\n\n"
        "<!-- lead-rules:start -->\n| old |\n<!-- lead-rules:end -->\n\nAfter.\n"
    )
    fresh = rewrite(stale)
    assert fresh.startswith("# Leads\n\n<!-- lead-diagram:start -->\n```mermaid\n")
    assert "<!-- lead-diagram:end -->\n\nBetween.\n\n<!-- lead-rules:start -->\n" in fresh
    assert fresh.endswith("<!-- lead-rules:end -->\n\nAfter.\n")
    assert [current_block(fresh, name) for name in BLOCKS] == [make() for make in BLOCKS.values()]
    assert rewrite(fresh) == fresh


def test_a_page_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="lead-diagram:start"):
        rewrite("# Leads\n")


def test_the_table_names_every_staff_command_and_what_it_needs() -> None:
    table = rules_table()
    assert "| `add` | new | any staff member | the assignee, else the actor | yes |" in table
    assert "| `reactivate` | `ARCHIVED` | a role granted `reactivate_lead` |" in table
    assert "| `archive` |" in table
    assert table.count("\n") == len(LEAD_RULES) + 2


if __name__ == "__main__":
    text = PAGE.read_text(encoding="utf-8")
    updated = rewrite(text)
    if updated != text:
        PAGE.write_text(updated, encoding="utf-8")
    print(f"{PAGE}: {'rewritten' if updated != text else 'already up to date'}")
    sys.exit(0)
