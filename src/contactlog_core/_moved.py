"""Old import paths, kept for one release: each module that moved is importable under its old name.

``contactlog_core.domain.aging`` is now ``contactlog_core.domain.leads.aging``,
and so on (the table is ``MOVED``; ``CHANGELOG.md`` lists it too). Importing
an old path gives the module at its new place and a ``DeprecationWarning``
that names it. The names the package exports (``contactlog_core.LeadStatus``
and the rest) never moved.

Four old modules share their name with a new package (``domain.logs`` was the
log model, now ``domain/logs/`` holds the aggregate): their names are handed
on by the package's ``__getattr__``, through ``moved_attribute``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

__all__ = ["MOVED", "MOVED_NAMES", "install", "moved_attribute"]

_PACKAGE = "contactlog_core."

MOVED: dict[str, str] = {
    "policy": "domain.shared.policy",
    "demo": "cli.demo",
    "sweep_command": "cli.sweep",
    "export_command": "cli.export",
    "reminders_command": "cli.reminders",
    "domain.validation": "domain.shared.validation",
    "domain.events": "domain.shared.events",
    "domain.audit": "domain.shared.audit",
    "domain.aging_policy": "domain.organisations.aging_policy",
    "domain.reminder_settings": "domain.organisations.reminder_settings",
    "domain.ownership": "domain.logs.rules",
    "domain.log_commands": "domain.logs.commands",
    "domain.queries": "domain.logs.queries",
    "domain.query_rules": "domain.logs.query_rules",
    "domain.lead_rules": "domain.leads.rules",
    "domain.aging": "domain.leads.aging",
    "domain.lead_commands": "domain.leads.commands",
    "domain.lead_queries": "domain.leads.queries",
    "domain.lead_query_rules": "domain.leads.query_rules",
    "domain.interaction_commands": "domain.interactions.commands",
    "domain.naming": "domain.interactions.naming",
    "domain.interaction_search": "domain.interactions.search",
    "domain.tagging": "domain.interactions.tagging",
    "domain.tagging.candidates": "domain.interactions.tagging.candidates",
    "domain.tagging.cleaning": "domain.interactions.tagging.cleaning",
    "domain.tagging.extractor": "domain.interactions.tagging.extractor",
    "domain.tagging.languages": "domain.interactions.tagging.languages",
    "domain.tagging.stopwords": "domain.interactions.tagging.stopwords",
    "domain.tagging.stopwords.de": "domain.interactions.tagging.stopwords.de",
    "domain.tagging.stopwords.en": "domain.interactions.tagging.stopwords.en",
    "domain.tagging.stopwords.fr": "domain.interactions.tagging.stopwords.fr",
    "adapters.sqlite.list_queries": "adapters.sqlite.log_lists",
}
"""Old module path -> new, both below ``contactlog_core``."""

MOVED_NAMES: dict[str, tuple[str, ...]] = {
    "domain.logs": ("domain.logs.model",),
    "domain.leads": ("domain.leads.model",),
    "domain.interactions": ("domain.interactions.model",),
    "domain.organisations": ("domain.organisations.model",),
    "domain.reminders": ("domain.reminders.plan",),
    # The old log queries module also held the paging and folding toolkit.
    "domain.logs.queries": ("domain.shared.paging", "domain.shared.text"),
    "domain.logs.query_rules": ("domain.shared.paging",),
    # The interaction list's query, sorts and pages left ``search`` for modules of their own.
    "domain.interactions.search": (
        "domain.interactions.queries",
        "domain.interactions.query_rules",
    ),
}
"""Where the names of an old module went when its path is now a package (or kept fewer names)."""


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{_PACKAGE}{old} moved to {_PACKAGE}{new}; the old path goes in the next release",
        DeprecationWarning,
        stacklevel=3,
    )


class _Alias(importlib.abc.Loader):
    """Loads an old path as the module at its new place."""

    def __init__(self, old: str, new: str) -> None:
        self._old, self._new = old, new
        self._spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        _warn(self._old, self._new)
        module = importlib.import_module(_PACKAGE + self._new)
        self._spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The module ran at its new place; the import system has just given it the old
        # name's spec, which would make it look like a second module: it keeps its own.
        module.__spec__ = self._spec


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        old = fullname.removeprefix(_PACKAGE)
        if fullname == old or old not in MOVED:
            return None
        new = importlib.util.find_spec(_PACKAGE + MOVED[old])
        is_package = new is not None and new.submodule_search_locations is not None
        return importlib.machinery.ModuleSpec(
            fullname, _Alias(old, MOVED[old]), is_package=is_package
        )


def install() -> None:
    """Make the old paths importable (once per process).

    First in line: the old ``domain.tagging`` is the new package, whose search path
    would otherwise load its submodules a second time under their old names.
    """
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _MovedFinder())


def moved_attribute(package: str, name: str) -> object:
    """``name`` of an old module whose path is now ``package``: found where it went."""
    old = package.removeprefix(_PACKAGE)
    # The import system asks modules for ``__path__`` and the like while they load.
    found_in = () if name.startswith("__") else MOVED_NAMES.get(old, ())
    for new in found_in:
        module = importlib.import_module(_PACKAGE + new)
        if name in getattr(module, "__all__", ()) or (
            not name.startswith("_") and hasattr(module, name)
        ):
            _warn(f"{old}.{name}", f"{new}.{name}")
            return getattr(module, name)
    raise AttributeError(f"module {package!r} has no attribute {name!r}")
