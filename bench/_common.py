"""What the SQLite benchmarks share: the store's connection settings and the run's facts."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

import contactlog_core as cl
from contactlog_core.instants import to_micros as micros_of

__all__ = [
    "BUSY_TIMEOUT_S",
    "connect",
    "finish_load",
    "machine",
    "micros_of",
    "read_pragmas",
    "workdir",
]

BUSY_TIMEOUT_S = 30.0  # SqliteStore's default


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the store's settings: autocommit mode, WAL, NORMAL, foreign keys."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def read_pragmas(conn: sqlite3.Connection, names: Sequence[str]) -> dict[str, Any]:
    """The settings in force on ``conn``, read back rather than assumed."""
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}


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


@contextmanager
def workdir(given: Path | None, prefix: str) -> Iterator[Path]:
    """``--dir`` (a fresh folder inside it, kept), or a temporary directory removed afterwards."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield Path(tempfile.mkdtemp(prefix=prefix, dir=given))
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def finish_load(conn: sqlite3.Connection, *, analyze: bool) -> float | None:
    """After a bulk load: ``ANALYZE`` if asked (its seconds returned), checkpoint, close.

    The checkpoint empties the WAL, so the file can be copied for each contender.
    """
    seconds = None
    if analyze:
        t0 = time.perf_counter()
        conn.execute("ANALYZE")
        seconds = time.perf_counter() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return seconds
