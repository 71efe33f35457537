"""The public face holds together: what ``__all__`` promises exists, and the reference page documents it.

The public modules are ``contactlog_core`` and the subpackages and modules
listed in ``PUBLIC_MODULES``; everything else is internal. The reference page
(docs/reference.md) documents each name of ``contactlog_core.__all__`` with a
``::: contactlog_core.<name>`` directive, and each public module by a module
directive or by directives for every name of its ``__all__``. These tests read
the page as text; they do not build the docs.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import contactlog_core

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference.md"

PUBLIC_MODULES = (
    "contactlog_core",
    "contactlog_core.adapters.memory",
    "contactlog_core.adapters.sqlite",
    "contactlog_core.testing",
    "contactlog_core.testing.strategies",
    "contactlog_core.testing.contract",
    "contactlog_core.testing.collecting_sink",
    "contactlog_core.exports",
    "contactlog_core.tags",
    "contactlog_core.ports",
    "contactlog_core.serialization",
    "contactlog_core.errors",
    "contactlog_core.clock",
    "contactlog_core.adapters.ical_sink",
    "contactlog_core.adapters.sqlite.migrate",
)
"""Every module a user may import from, by its full dotted path."""

# Names of contactlog_core.__all__ that need no directive of their own.
UNDOCUMENTED = frozenset({"__version__"})

# "::: path" at the start of a line, outside code blocks: one mkdocstrings directive.
_DIRECTIVE = re.compile(r"^:::[ \t]+(?P<path>[A-Za-z_][\w.]*)[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)


def directives(text: str) -> list[str]:
    """The dotted paths of the page's ``:::`` directives, in order; fenced code is skipped."""
    return _DIRECTIVE.findall(_FENCE.sub("", text))


def documented() -> list[str]:
    return directives(REFERENCE.read_text(encoding="utf-8"))


def exported(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    assert isinstance(names, list | tuple), f"{module.__name__} has no __all__"
    return list(names)


def resolve(path: str) -> object:
    """The object a dotted path names: the longest importable module, then attributes.

    Raises ``LookupError`` naming the path when no such object exists.
    """
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            target: object = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name is not None and not module_name.startswith(e.name):
                raise  # the module exists but one of its own imports is missing
            continue
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                raise LookupError(f"{path}: {module_name} has no {'.'.join(parts[cut:])}")
            target = getattr(target, attribute)
        return target
    raise LookupError(f"{path}: no such module")


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_exported_name_exists_once(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = exported(module)
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    assert not duplicates, f"{module_name}.__all__ lists these twice: {duplicates}"
    missing = [name for name in names if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ names what the module lacks: {missing}"


def test_every_name_of_the_package_has_its_own_directive() -> None:
    on_page = set(documented())
    missing = [
        f"::: contactlog_core.{name}"
        for name in exported(contactlog_core)
        if name not in UNDOCUMENTED and f"contactlog_core.{name}" not in on_page
    ]
    assert not missing, "docs/reference.md lacks these directives:\n" + "\n".join(missing)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_is_documented(module_name: str) -> None:
    on_page = set(documented())
    if module_name in on_page:
        return  # a module directive renders its members (a package's, its __all__)
    module = importlib.import_module(module_name)
    missing = [
        name
        for name in exported(module)
        if name not in UNDOCUMENTED
        and f"{module_name}.{name}" not in on_page
        and not (
            isinstance(getattr(module, name), ModuleType)
            and getattr(module, name).__name__ in on_page
        )
    ]
    assert not missing, (
        f"docs/reference.md has no '::: {module_name}' and no directive for: {', '.join(missing)}"
    )


def test_every_directive_names_an_object_that_exists() -> None:
    problems: list[str] = []
    for path in documented():
        try:
            resolve(path)
        except LookupError as e:
            problems.append(str(e))
    assert not problems, "docs/reference.md documents what does not exist:\n" + "\n".join(problems)


def test_no_object_is_documented_twice_under_one_path() -> None:
    twice = sorted(path for path, count in Counter(documented()).items() if count > 1)
    assert not twice, f"docs/reference.md has these directives more than once: {twice}"


def test_directives_are_found_outside_code_blocks_only() -> None:
    text = "\n".join(
        [
            "::: contactlog_core.ContactLogApp",
            "    options:",
            "      heading_level: 3",
            "",
            "```markdown",
            "::: contactlog_core.NotThere",
            "```",
            "Text that mentions ::: contactlog_core.Inline is no directive.",
            ":::   contactlog_core.errors  ",
        ]
    )
    assert directives(text) == ["contactlog_core.ContactLogApp", "contactlog_core.errors"]


def test_resolve_names_what_is_missing() -> None:
    assert resolve("contactlog_core.errors.NotFound") is contactlog_core.NotFound
    assert resolve("contactlog_core.testing.contract") is importlib.import_module(
        "contactlog_core.testing.contract"
    )
    with pytest.raises(LookupError, match="contactlog_core has no NoSuchName"):
        resolve("contactlog_core.NoSuchName")
    with pytest.raises(LookupError, match="no such module"):
        resolve("no_such_package.thing")
