"""The Python functions SQL statements call: the domain's folding, and instants as JSON writes them."""

from __future__ import annotations

import sqlite3

from contactlog_core.adapters.sqlite.rows import from_micros
from contactlog_core.domain.queries import fold, name_key
from contactlog_core.serialization import unstructure

__all__ = ["register"]


def _iso(micros: int | None) -> str | None:
    # The audit trail's text for an instant, for snapshots built in SQL (the sweep's).
    return None if micros is None else str(unstructure(from_micros(micros)))


def register(conn: sqlite3.Connection) -> None:
    """Make the functions available to every statement on ``conn``."""
    conn.create_function("contactlog_fold", 1, fold, deterministic=True)
    conn.create_function("contactlog_name_key", 1, name_key, deterministic=True)
    conn.create_function("contactlog_iso", 1, _iso, deterministic=True)
