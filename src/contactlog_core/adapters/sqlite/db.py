"""One connection inside one unit of work, and the translation of driver errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from contactlog_core.errors import ConcurrencyConflict, StoreUnavailable, ValidationError

__all__ = ["Database", "translated"]

_BUSY = ("database is locked", "database table is locked", "database is busy")


@contextmanager
def translated(operation: str) -> Iterator[None]:
    """Turn driver exceptions into the library's own, at the transaction boundary."""
    try:
        yield
    except sqlite3.IntegrityError as e:
        raise ValidationError("record", f"the database refused it: {e}") from e
    except sqlite3.OperationalError as e:
        busy = any(text in str(e) for text in _BUSY)
        raise StoreUnavailable(operation, str(e), retryable=busy) from e
    except sqlite3.Error as e:
        raise StoreUnavailable(operation, f"{type(e).__name__}: {e}") from e


class Database:
    """One connection inside one unit of work: runs statements, translating errors."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def run(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        # A plain try (not ``translated``): this runs for every statement.
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error:
            with translated("run a statement"):
                raise

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """``sql`` once per row of ``rows`` (one prepared statement)."""
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error:
            with translated("run a statement"):
                raise

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.run(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.run(sql, params).fetchall()

    def conflict(
        self, kind: str, record_id: str, expected_version: int, version_sql: str, key: Sequence[Any]
    ) -> ConcurrencyConflict:
        """Why a save of ``record_id`` at ``expected_version`` changed no row.

        The error names the version stored now: the ``version`` column of the
        row ``version_sql`` reads by ``key`` (``None`` once the record is gone).
        Only a failed save asks.
        """
        row = self.one(version_sql, key)
        actual = None if row is None else row["version"]
        return ConcurrencyConflict(kind, record_id, expected_version, actual)
