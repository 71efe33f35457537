"""What the SQLite benchmarks share: the store's connection settings, bulk loads, query plans."""

from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs
from _data import SEED

__all__ = [
    "BUSY_TIMEOUT_S",
    "LOAD_BATCH",
    "LOAD_CACHE_KIB",
    "Loaded",
    "bulk_load",
    "connect",
    "explain_each",
    "finish_load",
    "immediate",
    "insert_sql",
    "loader_connection",
    "plan",
    "read_pragmas",
    "require_staff",
    "statement_ms",
    "traced",
]

BUSY_TIMEOUT_S = 30.0  # SqliteStore's default
LOAD_BATCH = 100_000  # items per transaction of a bulk load
LOAD_CACHE_KIB = 262_144  # the loader connection's cache_size (only while loading)
SELECT_STAFF = "SELECT id, org_id, role FROM staff WHERE id = ? AND org_id = ?"
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")

Params = Sequence[Any] | Mapping[str, Any]
Item = TypeVar("Item")


# --- connections and transactions ----------------------------------------------------------


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the store's settings: autocommit mode, WAL, NORMAL, foreign keys."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def loader_connection(path: Path) -> sqlite3.Connection:
    """``connect`` with a big page cache, for a bulk load only."""
    conn = connect(path)
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    return conn


def read_pragmas(conn: sqlite3.Connection, names: Sequence[str]) -> dict[str, Any]:
    """The settings in force on ``conn``, read back rather than assumed."""
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE ... COMMIT`` on an autocommit connection, rolled back if the body fails."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def require_staff(conn: sqlite3.Connection, staff_id: str, org_id: str) -> None:
    """The staff check a hand-written baseline makes first, as the store does."""
    if conn.execute(SELECT_STAFF, (staff_id, org_id)).fetchone() is None:
        raise LookupError(f"no staff {staff_id}")


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


# --- bulk loading --------------------------------------------------------------------------


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)``."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


@attrs.define
class Loaded(Generic[Item]):
    """What a bulk load inserted, how long it took, and the items kept to check it."""

    rows: dict[str, int]  # table -> rows inserted
    seconds: float = 0.0
    analyze_seconds: float | None = None
    sample: list[Item] = attrs.Factory(list)


Make = Callable[[random.Random, int], tuple[Item, Mapping[str, Iterable[Mapping[str, Any]]]]]


def bulk_load(
    path: Path,
    n: int,
    make: Make[Item],
    tables: Mapping[str, Sequence[str]],
    *,
    sample: int,
    analyze: bool,
) -> Loaded[Item]:
    """Insert ``n`` items in transactions of ``LOAD_BATCH``; keep ``sample`` of them to check.

    ``make(rng, i)`` gives item ``i`` and its rows by table, each row a dict of
    the columns ``tables`` names; one ``random.Random(SEED)`` goes through the
    items in order, so a run makes the same data every time. The tables are
    filled in the order ``tables`` gives them; ``finish_load`` ends the load.
    """
    rng = random.Random(SEED)
    keep = set(random.Random(SEED + 1).sample(range(n), min(sample, n)))
    inserts = {table: insert_sql(table, columns) for table, columns in tables.items()}
    loaded: Loaded[Item] = Loaded(rows=dict.fromkeys(tables, 0))
    conn = loader_connection(path)
    t0 = time.perf_counter()
    for start in range(0, n, LOAD_BATCH):
        batch: dict[str, list[tuple[Any, ...]]] = {table: [] for table in tables}
        for i in range(start, min(n, start + LOAD_BATCH)):
            item, rows = make(rng, i)
            for table, table_rows in rows.items():
                batch[table].extend(tuple(row[c] for c in tables[table]) for row in table_rows)
            if i in keep:
                loaded.sample.append(item)
        with immediate(conn):
            for table, table_rows in batch.items():
                conn.executemany(inserts[table], table_rows)
        for table, table_rows in batch.items():
            loaded.rows[table] += len(table_rows)
    loaded.seconds = time.perf_counter() - t0
    loaded.analyze_seconds = finish_load(conn, analyze=analyze)
    return loaded


# --- query plans ---------------------------------------------------------------------------


@contextmanager
def traced(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """The statements ``conn`` runs meanwhile (expanded: values inlined)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def plan(conn: sqlite3.Connection, sql: str, params: Params = ()) -> list[str]:
    """``EXPLAIN QUERY PLAN`` as indented lines."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def statement_ms(conn: sqlite3.Connection, sql: str, params: Params = (), runs: int = 5) -> float:
    """The median time of one statement alone, fetching all rows."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        conn.execute(sql, params).fetchall()
        times.append(time.perf_counter_ns() - t0)
    return statistics.median(times) / 1e6


def explain_each(
    probe: sqlite3.Connection, statements: Iterable[str], skipped: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Each traced statement on ``probe``: its own time and its query plan.

    Transaction control and statements whose first word is in ``skipped``
    have no plan worth showing, so they are left out.
    """
    out = []
    for sql in statements:
        if sql.split(None, 1)[0].upper() in (*TRANSACTION_CONTROL, *skipped):
            continue
        text = " ".join(sql.split())
        out.append({"sql": text, "ms": statement_ms(probe, text), "plan": plan(probe, text)})
    return out
