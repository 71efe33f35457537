"""Every sized test takes its size from ``tests.support.sizes``, and the helper follows the profile.

A test that kept its own table of counts by profile (an ``EXAMPLES`` dict read
with ``HYPOTHESIS_PROFILE``) would drift from the sessions: these checks name
the file and line of any such table outside ``tests/torture``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support import sizes

TESTS = Path(__file__).resolve().parent
# Where the profile is rightly read: the profiles themselves, the helper, this file, the torture runs.
READERS = {TESTS / "conftest.py", TESTS / "support" / "sizes.py", Path(__file__).resolve()}
TORTURE = TESTS / "torture"


def own_sizes(path: Path) -> list[str]:
    """``line: what`` for each table of counts by profile, or read of the profile, in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & set(sizes.PROFILES)) >= 2:
                found.append(f"{node.lineno}: a dict of counts by profile")
        elif isinstance(node, ast.Constant) and node.value == "HYPOTHESIS_PROFILE":
            found.append(f"{node.lineno}: reads HYPOTHESIS_PROFILE")
    return found


def test_no_test_keeps_its_own_sizes_by_profile() -> None:
    modules = sorted(
        p for p in TESTS.rglob("*.py") if p not in READERS and TORTURE not in p.parents
    )
    assert len(modules) > 50, "tests not found: has the folder moved?"
    problems = [
        f"{path.relative_to(TESTS.parent)}:{where}" for path in modules for where in own_sizes(path)
    ]
    assert not problems, "use tests.support.sizes.examples(...) instead:\n" + "\n".join(problems)


def test_the_check_finds_a_table_of_their_own(tmp_path: Path) -> None:
    module = tmp_path / "test_machine.py"
    module.write_text(
        'import os\nEXAMPLES = {"ci": 300, "dev": 30}\n'
        'n = EXAMPLES[os.environ.get("HYPOTHESIS_PROFILE", "dev")]\n'
    )
    assert own_sizes(module) == ["2: a dict of counts by profile", "3: reads HYPOTHESIS_PROFILE"]


@pytest.mark.parametrize(
    ("profile", "count"), [(None, 1), ("dev", 1), ("ci", 2), ("long", 3), ("torture", 4)]
)
def test_examples_are_the_count_of_the_profile_in_force(
    monkeypatch: pytest.MonkeyPatch, profile: str | None, count: int
) -> None:
    if profile is None:
        monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    else:
        monkeypatch.setenv("HYPOTHESIS_PROFILE", profile)
    assert sizes.examples(dev=1, ci=2, long=3, torture=4) == count


def test_an_unknown_profile_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "nightly")
    with pytest.raises(ValueError, match="nightly"):
        sizes.examples(dev=1, ci=2, long=3, torture=4)
