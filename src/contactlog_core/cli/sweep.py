"""``contactlog sweep``: write every lead's aged status to an existing database, for cron.

The views never need the sweep to be right (they age leads as they read
them); the sweep writes the statuses down and records an audit event per
changed lead, so that the trail and other readers of the tables see them.
It refuses a file that does not exist: a cron job pointed at the wrong path
must fail loudly, not sweep a new empty database and report success.
"""

from __future__ import annotations

import argparse
import time
from typing import TextIO

from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.application import ContactLogApp
from contactlog_core.application.leads import DEFAULT_BATCH, MAX_BATCH
from contactlog_core.cli import database
from contactlog_core.ports import AgingBatch

__all__ = ["add_sweep_parser", "run_sweep"]


_DESCRIPTION = (
    "Write every lead's status as of now and record an audit event for each change."
    " The lead views are right without it (they age leads as they read them);"
    " run it from cron, every 15 minutes say. The database file must exist."
)


def add_sweep_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep`` and its options to the ``contactlog`` sub-commands."""
    sweep = commands.add_parser(
        "sweep",
        help="write every lead's aged status and audit each change (run it from cron)",
        description=_DESCRIPTION,
    )
    database.add_option(sweep, help="the SQLite file to sweep; it must exist")
    sweep.add_argument(
        "--batch-size",
        type=database.batch_size(MAX_BATCH),
        default=DEFAULT_BATCH,
        metavar="N",
        help=f"leads per transaction, 1 to {MAX_BATCH} (default: %(default)s)",
    )
    sweep.add_argument("--org", metavar="ORG_ID", default=None, help="sweep only this organisation")


def run_sweep(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Sweep ``args.db``; the summary goes to ``out``, a live progress line to ``err`` if a terminal.

    Library errors propagate: the caller turns them into a message and an exit code.
    """
    if database.missing(args.db, err, why="; sweep never creates one"):
        return database.EXIT_NO_DATABASE
    app = ContactLogApp(SqliteStore(args.db))
    progress = _Progress(err) if err.isatty() else None
    try:
        report = app.leads.sweep(org_id=args.org, batch_size=args.batch_size, progress=progress)
    finally:
        app.close()
        if progress is not None:
            progress.done()
    print(report.summary(), file=out)
    return 0


class _Progress:
    """One line on a terminal, rewritten after each batch."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.monotonic()
        self._changed = 0
        self._batches = 0

    def __call__(self, batch: AgingBatch) -> None:
        self._changed += batch.changed
        self._batches += 1
        elapsed = time.monotonic() - self._started
        # "\r" back to the start, "\x1b[K" clears what a longer earlier line left behind.
        self._stream.write(
            f"\rsweeping: {self._changed} lead(s) changed, {self._batches} batch(es),"
            f" {elapsed:.1f} s\x1b[K"
        )
        self._stream.flush()

    def done(self) -> None:
        # End the progress line, so that what follows starts on a line of its own.
        if self._batches:
            self._stream.write("\n")
            self._stream.flush()
