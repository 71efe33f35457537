"""``contactlog reminders``: deliver queued reminders as ``.ics`` files, and print one person's feed.

``deliver`` is for a host's cron job: it hands every due request of the
database's outbox to an ``ICalendarSink`` writing under ``--ics-dir``, and
prints a one-line summary. Like ``sweep`` it refuses a database file that
does not exist. ``feed`` prints the calendar of one staff member's open
reminders, for a web server to serve as a subscription.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from contactlog_core.adapters.ical_sink import ICalendarSink
from contactlog_core.application.reminders import MAX_BATCH
from contactlog_core.cli import database

__all__ = ["add_reminders_parser", "run_reminders"]


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
    database.add_option(deliver)
    deliver.add_argument("--ics-dir", required=True, help="where the .ics files are written")
    deliver.add_argument(
        "--batch",
        type=database.batch_size(MAX_BATCH),
        default=100,
        metavar="N",
        help="requests read at a time",
    )
    feed = actions.add_parser("feed", help="print one person's open reminders as one calendar")
    feed.add_argument("--ics-dir", required=True, help="the directory deliver writes to")
    feed.add_argument("--staff", required=True, metavar="STAFF_ID", help="whose reminders")


def run_reminders(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``reminders deliver`` or ``reminders feed``; library errors propagate to the caller."""
    if args.action == "feed":
        out.write(ICalendarSink(args.ics_dir).feed(args.staff).decode())
        return 0
    if database.missing(args.db, err):
        return database.EXIT_NO_DATABASE
    sink = ICalendarSink(args.ics_dir)
    with database.app_on(args.db, err) as (app, live):
        report = app.reminders.deliver(
            sink, batch=args.batch, progress=_progress(err) if live else None
        )
    print(report.summary(), file=out)
    for error in report.errors:
        print(f"  failed: {error}", file=err)
    return 0


def _progress(stream: TextIO) -> Callable[[int, int], None]:
    def show(delivered: int, failed: int) -> None:
        stream.write(f"\rdelivering: {delivered} delivered, {failed} failed\x1b[K")
        stream.flush()

    return show
