"""``contactlog export``: a staff member's view of the interactions, to a CSV, XLSX, PDF or HTML file.

The export is made as the staff member given by ``--staff`` (their
organisation's interactions only), of everything or of a search, in one
consistent snapshot. Like ``sweep`` it refuses a database file that does not
exist.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TextIO

from contactlog_core.cli import database
from contactlog_core.exports import FORMATS

__all__ = ["add_export_parser", "run_export"]


def add_export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` and its options to the ``contactlog`` sub-commands."""
    export = commands.add_parser(
        "export",
        help="write interactions to a CSV, XLSX, PDF or HTML file",
        description="Export the interactions a staff member sees (all, or a search) to a file."
        " XLSX and PDF need the export extra. The database file must exist.",
    )
    database.add_option(export)
    export.add_argument("--staff", required=True, metavar="STAFF_ID", help="export as this person")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=None,
        help="the file's format (default: from --out's extension, else csv)",
    )
    export.add_argument("--search", default=None, help="only what this search finds")
    export.add_argument("--client", default=None, metavar="CLIENT_ID", help="only one client's")


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Export to ``args.out``; a one-line summary to ``out``. Library errors propagate."""
    if database.missing(args.db, err):
        return database.EXIT_NO_DATABASE
    extension = os.path.splitext(args.out)[1].lstrip(".").lower()
    format = args.format or (extension if extension in FORMATS else "csv")
    with database.app_on(args.db, err) as (app, live):
        count = app.interactions.export(
            app.actor(args.staff),
            args.out,
            format=format,
            search=args.search,
            client_id=args.client,
            progress=_progress(err) if live else None,
        )
    print(f"exported {count} interaction(s) to {args.out} ({format})", file=out)
    return 0


def _progress(stream: TextIO) -> Callable[[int], None]:
    def show(written: int) -> None:
        stream.write(f"\rexporting: {written} interaction(s)\x1b[K")
        stream.flush()

    return show
