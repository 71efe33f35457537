"""The previous release's module paths: each still imports, as the module at its new place, with a warning."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

import contactlog_core
from contactlog_core._moved import MOVED, MOVED_NAMES

PACKAGE = "contactlog_core."


def fresh_import(name: str) -> object:
    # The alias is cached in sys.modules after a first import; the warning comes once per process.
    sys.modules.pop(name, None)
    return importlib.import_module(name)


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_path_is_the_module_at_its_new_place(old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=f"{PACKAGE}{new}"):
        module = fresh_import(PACKAGE + old)
    assert module is importlib.import_module(PACKAGE + new)
    assert module.__spec__ is not None
    assert module.__spec__.name == PACKAGE + new


def test_every_new_path_of_the_table_exists() -> None:
    for new in [*MOVED.values(), *(n for names in MOVED_NAMES.values() for n in names)]:
        assert importlib.util.find_spec(PACKAGE + new) is not None, new


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("from contactlog_core.domain.logs import ContactLog", contactlog_core.ContactLog),
        ("from contactlog_core.domain.leads import LeadStatus", contactlog_core.LeadStatus),
        ("from contactlog_core.domain.organisations import Actor", contactlog_core.Actor),
        (
            "from contactlog_core.domain.interactions import Interaction",
            contactlog_core.Interaction,
        ),
        ("from contactlog_core.domain.queries import Page", contactlog_core.Page),
        ("from contactlog_core.domain.queries import LogSummary", contactlog_core.LogSummary),
        (
            "from contactlog_core.domain.interaction_search import InteractionPage",
            contactlog_core.InteractionPage,
        ),
    ],
)
def test_an_old_modules_names_are_found_where_they_went(statement: str, expected: object) -> None:
    found: dict[str, object] = {}
    sys.modules.pop(statement.split()[1], None)  # an alias warns at its first import
    with pytest.warns(DeprecationWarning, match="moved to"):
        exec(statement, found)
    assert found[statement.split()[-1]] is expected


def test_a_name_no_module_ever_had_is_still_an_error() -> None:
    with pytest.raises(ImportError):
        exec("from contactlog_core.domain.logs import NoSuchThing", {})


def test_a_submodule_of_an_old_package_path_is_not_loaded_twice() -> None:
    # Run apart: this process has imported the new modules long ago.
    code = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "import contactlog_core\n"
        "from contactlog_core.domain.tagging.extractor import StatisticalTagExtractor as Old\n"
        "from contactlog_core.domain.interactions.tagging.extractor"
        " import StatisticalTagExtractor as New\n"
        "assert Old is New\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_package_names_never_moved() -> None:
    # Nothing a user reaches through ``contactlog_core`` warns.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in contactlog_core.__all__:
            getattr(contactlog_core, name)
