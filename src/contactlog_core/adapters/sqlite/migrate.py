"""Forward-only schema migrations, numbered ``NNNN_name.sql``, tracked by ``PRAGMA user_version``.

Each migration runs in its own transaction together with the version bump,
so a database is always at exactly one numbered version.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

import attrs

from contactlog_core.adapters.sqlite.functions import register
from contactlog_core.errors import StoreUnavailable

__all__ = ["Migration", "migrate", "migrations", "schema_version"]

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@attrs.frozen
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every shipped migration, in order; numbers run 1, 2, 3... without gaps."""
    folder = resources.files("contactlog_core.adapters.sqlite") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.name for m in found]}")
    return found


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the database up to ``target`` (default: the newest); return the version reached."""
    steps = migrations()
    target = len(steps) if target is None else target
    # The domain's folding rules, so that a migration's backfill folds as Python does.
    register(conn)
    current = schema_version(conn)
    if current > len(steps):
        raise StoreUnavailable(
            "open the database",
            f"its schema is version {current}, newer than this library knows ({len(steps)})",
        )
    for step in steps[current:target]:
        try:
            conn.execute("BEGIN IMMEDIATE")
            # A migration may have run meanwhile in another process: look again under the lock.
            if schema_version(conn) >= step.version:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(step.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return schema_version(conn)


def _statements(script: str) -> list[str]:
    # executescript() would commit on its own; running statement by statement keeps
    # the migration and its version bump in one transaction.
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
