"""The Python functions SQL statements call: the domain's folding of names and text."""

from __future__ import annotations

import sqlite3

from contactlog_core.domain.shared.text import fold, name_key

__all__ = ["register"]


def register(conn: sqlite3.Connection) -> None:
    """Make the functions available to every statement on ``conn``."""
    conn.create_function("contactlog_fold", 1, fold, deterministic=True)
    conn.create_function("contactlog_name_key", 1, name_key, deterministic=True)
