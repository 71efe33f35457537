"""The ``contactlog`` command: ``demo`` walks through the seed scenario, ``sweep`` ages leads,
``reminders`` delivers follow-up reminders, ``export`` writes interactions to a file."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from contactlog_core.cli.demo import run_demo
from contactlog_core.cli.export import add_export_parser, run_export
from contactlog_core.cli.reminders import add_reminders_parser, run_reminders
from contactlog_core.cli.sweep import add_sweep_parser, run_sweep
from contactlog_core.errors import ContactLogError

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contactlog", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="walk through the seed scenario, step by step")
    demo.add_argument(
        "--db",
        default="contactlog-demo.db",
        help="SQLite file to keep the demo's records in (default: %(default)s; ':memory:' keeps none)",
    )
    add_sweep_parser(commands)
    add_reminders_parser(commands)
    add_export_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sweep":
            return run_sweep(args, out=sys.stdout, err=sys.stderr)
        if args.command == "export":
            return run_export(args, out=sys.stdout, err=sys.stderr)
        if args.command == "reminders":
            return run_reminders(args, out=sys.stdout, err=sys.stderr)
        run_demo(out=sys.stdout, db=args.db)
    except ContactLogError as e:
        print(f"contactlog: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``contactlog demo | head``): stop quietly, as shell tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
