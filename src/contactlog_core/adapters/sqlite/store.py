"""SqliteStore: the embedded default, on the standard library's ``sqlite3``.

WAL journal, ``synchronous=NORMAL``, foreign keys on, a busy timeout, and
``BEGIN IMMEDIATE`` for every writing unit of work, so two writers never
interleave: the second waits, then reads what the first committed. Safe to
share one file across threads (a connection per thread) and processes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from types import TracebackType

from contactlog_core.adapters.sqlite.audit import SqliteAudit
from contactlog_core.adapters.sqlite.db import Database, translated
from contactlog_core.adapters.sqlite.functions import register
from contactlog_core.adapters.sqlite.interactions import SqliteInteractions
from contactlog_core.adapters.sqlite.leads import SqliteLeads
from contactlog_core.adapters.sqlite.logs import SqliteLogs
from contactlog_core.adapters.sqlite.migrate import migrate
from contactlog_core.adapters.sqlite.organisations import SqliteOrganisations, SqliteStaff
from contactlog_core.adapters.sqlite.outbox import SqliteOutbox
from contactlog_core.errors import StoreUnavailable, ValidationError
from contactlog_core.ports import NESTED_UNIT_OF_WORK as NESTED

__all__ = ["SqliteStore"]

MEMORY = ":memory:"
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    # Scratch tables (the sweep's moves, sorts) stay in memory, not in temporary files.
    "PRAGMA temp_store = MEMORY",
    # 16 MiB of page cache (the default is 2): the sweep's batches and big sorts reread
    # fewer pages, at a modest cost per connection.
    "PRAGMA cache_size = -16384",
)


class SqliteUnitOfWork:
    """One transaction on one connection; commit on success, roll back on error."""

    def __init__(self, store: SqliteStore, *, read_only: bool) -> None:
        self._store = store
        self._read_only = read_only
        self._conn: sqlite3.Connection | None = None

    def __enter__(self) -> SqliteUnitOfWork:
        self._conn = self._store._begin(self._read_only)
        db = Database(self._conn)
        self.organisations = SqliteOrganisations(db)
        self.staff = SqliteStaff(db)
        self.logs = SqliteLogs(db)
        self.leads = SqliteLeads(db)
        self.interactions = SqliteInteractions(db)
        self.reminders = SqliteOutbox(db)
        self.audit = SqliteAudit(db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if exc_type is None:
                with translated("commit"):
                    self.interactions.flush()
                    conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._store._release()


class SqliteStore:
    """A store in one SQLite file (or ``":memory:"``); creates or migrates the schema on open.

    ``schema_version`` is the number of the newest migration applied.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> None:
        if not isinstance(path, str | os.PathLike):
            raise ValidationError(
                "path", f"expected a file path or ':memory:', got {type(path).__name__}"
            )
        if (
            isinstance(busy_timeout, bool)
            or not isinstance(busy_timeout, int | float)
            or busy_timeout < 0
        ):
            raise ValidationError("busy_timeout", f"expected seconds >= 0, got {busy_timeout!r}")
        self.path = str(path) if str(path) == MEMORY else str(Path(path))
        self.busy_timeout = float(busy_timeout)
        self._local = threading.local()
        self._closed = False
        self._all: list[sqlite3.Connection] = []
        self._query_only: dict[int, bool] = {}
        self._all_lock = threading.Lock()
        # ":memory:" is one database per connection, so there it is one shared connection.
        self._shared_lock = threading.RLock() if self.path == MEMORY else None
        self._shared: sqlite3.Connection | None = None
        try:
            with translated("open the database"):
                self.schema_version = migrate(self._connection())
        except BaseException:
            self.close()
            raise

    def unit_of_work(self, *, read_only: bool = False) -> SqliteUnitOfWork:
        """A unit of work; ``read_only`` ones do not take the write lock."""
        if self._closed:
            raise StoreUnavailable("open a unit of work", "the store is closed")
        return SqliteUnitOfWork(self, read_only=read_only)

    def close(self) -> None:
        """Close every connection this store opened."""
        self._closed = True
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"

    def _begin(self, read_only: bool) -> sqlite3.Connection:
        if self._shared_lock is not None:
            self._shared_lock.acquire()
        try:
            conn = self._connection()
            if conn.in_transaction:
                raise StoreUnavailable("begin a unit of work", NESTED)
            with translated("begin a transaction"):
                # query_only makes a read-only unit's promise binding: a write fails.
                # Set only when it changes: a statement less on every write.
                if self._query_only.get(id(conn)) != read_only:
                    conn.execute(f"PRAGMA query_only = {int(read_only)}")
                    self._query_only[id(conn)] = read_only
                conn.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise
        return conn

    def _release(self) -> None:
        if self._shared_lock is not None:
            self._shared_lock.release()

    def _connection(self) -> sqlite3.Connection:
        if self._shared_lock is not None:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        # One connection per thread and per process: a connection must not cross a fork.
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = self._open()
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _patiently(self, conn: sqlite3.Connection, statement: str) -> None:
        # Switching a new file to WAL while another process writes it fails with
        # "locked" at once, without the busy handler: wait here as a writer would.
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.001
        while True:
            try:
                conn.execute(statement)
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    def _open(self) -> sqlite3.Connection:
        with translated("open the database"):
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout,
                isolation_level=None,
                # Each thread gets its own connection (or waits on the shared one's
                # lock); the check is off so that close() may run from any thread.
                check_same_thread=False,
            )
            conn.row_factory = sqlite3.Row
            register(conn)
            for pragma in _PRAGMAS:
                self._patiently(conn, pragma)
        with self._all_lock:
            self._all.append(conn)
        return conn
