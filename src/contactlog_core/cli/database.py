"""The database file that ``sweep``, ``reminders deliver`` and ``export`` work on.

Each takes it as ``--db`` and refuses a path where no file is: a cron job
pointed at the wrong path must fail loudly, not work on a new empty database
and report success. Read as ``database.missing(...)``, ``database.app_on(...)``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.application import ContactLogApp
from contactlog_core.domain.shared.paging import whole_number

__all__ = ["EXIT_NO_DATABASE", "add_option", "app_on", "batch_size", "missing"]

EXIT_NO_DATABASE = 2
"""The exit code for a ``--db`` that is not an existing file (as for any usage error)."""


def add_option(
    parser: argparse.ArgumentParser, help: str = "the SQLite file; it must exist"
) -> None:
    """``--db``, the database file the command works on (required)."""
    parser.add_argument("--db", required=True, help=help)


def missing(path: str, err: TextIO, why: str = "") -> bool:
    """True, once ``err`` says so, when no file is at ``path``; ``why`` adds to the message."""
    if os.path.isfile(path):
        return False
    print(f"contactlog: no database file at {path!r}{why} (check --db)", file=err)
    return True


@contextmanager
def app_on(path: str, err: TextIO) -> Iterator[tuple[ContactLogApp, bool]]:
    """The app on the SQLite file at ``path``, and whether ``err`` shows a live progress line.

    The app is closed when the block ends, and a live progress line ended.
    """
    app = ContactLogApp(SqliteStore(path))
    live = err.isatty()
    try:
        yield app, live
    finally:
        app.close()
        if live:
            err.write("\n")


def batch_size(top: int) -> Callable[[str], int]:
    """An argparse ``type`` for a batch: a whole number from 1 to ``top``, else a usage error.

    The library's own rule, checked before the database is opened.
    """

    def parse(text: str) -> int:
        try:
            return whole_number(int(text), "batch", top)
        except ValueError:  # int("x")'s, or the library's ValidationError (a ValueError too)
            raise argparse.ArgumentTypeError(
                f"expected a whole number from 1 to {top}, got {text!r}"
            ) from None

    return parse
