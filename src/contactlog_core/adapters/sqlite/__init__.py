"""The SQLite store: ``from contactlog_core.adapters.sqlite import SqliteStore``."""

from contactlog_core.adapters.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
