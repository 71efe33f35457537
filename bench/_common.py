"""What every benchmark shares about its run: the machine's facts, flags and results file."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

import contactlog_core as cl

__all__ = [
    "add_dir",
    "add_out",
    "add_quick",
    "files_in",
    "flags_of",
    "listed",
    "load_average",
    "machine",
    "machine_line",
    "parser_for",
    "print_pragmas",
    "verdict",
    "workdir",
    "write_report",
]

RESULTS = Path(__file__).resolve().parent / "results"


# --- the machine ---------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """The facts a figure needs beside it."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "contactlog_core": cl.__version__,
        "pendulum": version("pendulum"),
        "cattrs": version("cattrs"),
    }


def machine_line(facts: Mapping[str, Any], *more: str, sqlite: bool = True) -> str:
    """A benchmark's first line: Python, SQLite (unless not used) and CPUs, then ``more``."""
    parts = [f"Python {facts['python']}"]
    if sqlite:
        parts.append(f"SQLite {facts['sqlite']}")
    return ", ".join([*parts, f"{facts['cpu_count']} CPUs", *more])


def load_average() -> str:
    """The 1, 5 and 15-minute load averages: other processes may make the figures noisy."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# --- folders and flags ---------------------------------------------------------------------


@contextmanager
def workdir(given: Path | None, prefix: str) -> Iterator[Path]:
    """``--dir`` (a fresh folder inside it, kept), or a temporary directory removed afterwards."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield Path(tempfile.mkdtemp(prefix=prefix, dir=given))
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def files_in(given: Path | None) -> str:
    """Where ``workdir`` puts the files, as the first line says it."""
    return f"files in {given or 'a temp dir'}"


def parser_for(doc: str | None) -> argparse.ArgumentParser:
    """A parser described by the first line of the script's docstring."""
    return argparse.ArgumentParser(description=(doc or "").splitlines()[0])


def add_dir(parser: argparse.ArgumentParser, help: str = "where the database files go") -> None:
    parser.add_argument("--dir", type=Path, default=None, help=help)


def add_out(parser: argparse.ArgumentParser, name: str) -> None:
    """``--out``, by default ``bench/results/NAME.json``."""
    default = RESULTS / f"{name}.json"
    parser.add_argument("--out", type=Path, default=default, help="where to write the JSON")


def add_quick(
    parser: argparse.ArgumentParser, help: str = "tiny sizes, for a CI smoke run"
) -> None:
    parser.add_argument("--quick", action="store_true", help=help)


def flags_of(args: argparse.Namespace) -> dict[str, Any]:
    """The flags as the results file keeps them (paths as text)."""
    return {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}


# --- what is printed and written -----------------------------------------------------------


def verdict(ok: bool, good: str = "ok", bad: str = "MISS") -> str:
    return good if ok else bad


def listed(pairs: Mapping[str, Any], fmt: str = "", sep: str = " ") -> str:
    """``key value, key value, ...``, each value formatted by ``fmt``."""
    return ", ".join(f"{k}{sep}{v:{fmt}}" for k, v in pairs.items())


def print_pragmas(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """One line per connection: the settings in force on it."""
    for name, pragmas in settings.items():
        print(f"pragmas ({name}): {listed(pragmas, sep='=')}")


def write_report(out: Path, report: Mapping[str, Any], *, ensure_ascii: bool = False) -> None:
    """The results as indented JSON in ``out`` (its folder made if need be), and where they went."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=ensure_ascii)
    out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {out}")
