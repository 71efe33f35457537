"""``contactlog reminders``: deliver queued reminders as ``.ics`` files, and print one person's feed.

``deliver`` is for a host's cron job: it hands every due request of the
database's outbox to an ``ICalendarSink`` writing under ``--ics-dir``, and
prints a one-line summary. Like ``sweep`` it refuses a database file that
does not exist. ``feed`` prints the calendar of one staff member's open
reminders, for a web server to serve as a subscription.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TextIO

from contactlog_core.adapters.ical_sink import ICalendarSink
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.application import ContactLogApp
from contactlog_core.application.reminders import MAX_BATCH
from contactlog_core.domain.shared.paging import whole_number

__all__ = ["add_reminders_parser", "run_reminders"]

EXIT_NO_DATABASE = 2


def add_reminders_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``reminders deliver`` and ``reminders feed`` to the ``contactlog`` sub-commands."""
    reminders = commands.add_parser("reminders", help="deliver follow-up reminders as .ics files")
    actions = reminders.add_subparsers(dest="action", required=True)
    deliver = actions.add_parser(
        "deliver",
        help="write every due reminder to --ics-dir (run it from cron)",
        description="Hand every due reminder request to the iCalendar sink; failed ones are"
        " retried by a later run. The database file must exist.",
    )
    deliver.add_argument("--db", required=True, help="the SQLite file; it must exist")
    deliver.add_argument("--ics-dir", required=True, help="where the .ics files are written")
    deliver.add_argument(
        "--batch", type=_batch, default=100, metavar="N", help="requests read at a time"
    )
    feed = actions.add_parser("feed", help="print one person's open reminders as one calendar")
    feed.add_argument("--ics-dir", required=True, help="the directory deliver writes to")
    feed.add_argument("--staff", required=True, metavar="STAFF_ID", help="whose reminders")


def run_reminders(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``reminders deliver`` or ``reminders feed``; library errors propagate to the caller."""
    if args.action == "feed":
        out.write(ICalendarSink(args.ics_dir).feed(args.staff).decode())
        return 0
    if not os.path.isfile(args.db):
        print(f"contactlog: no database file at {args.db!r} (check --db)", file=err)
        return EXIT_NO_DATABASE
    sink = ICalendarSink(args.ics_dir)
    app = ContactLogApp(SqliteStore(args.db))
    live = err.isatty()
    try:
        report = app.reminders.deliver(
            sink, batch=args.batch, progress=_progress(err) if live else None
        )
    finally:
        app.close()
        if live:
            err.write("\n")
    print(report.summary(), file=out)
    for error in report.errors:
        print(f"  failed: {error}", file=err)
    return 0


def _progress(stream: TextIO) -> Callable[[int, int], None]:
    def show(delivered: int, failed: int) -> None:
        stream.write(f"\rdelivering: {delivered} delivered, {failed} failed\x1b[K")
        stream.flush()

    return show


def _batch(text: str) -> int:
    try:
        return whole_number(int(text), "batch", MAX_BATCH)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_BATCH}, got {text!r}"
        ) from None
