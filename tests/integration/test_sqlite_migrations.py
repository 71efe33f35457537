"""Forward-only migrations: a database created at any earlier version reaches the same schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from contactlog_core import StoreUnavailable
from contactlog_core.adapters.sqlite import SqliteStore
from contactlog_core.adapters.sqlite.migrate import migrate, migrations, schema_version

LATEST = len(migrations())


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        )
        return [(name, " ".join(sql.split())) for name, sql in rows]


def test_migrations_are_numbered_one_to_n() -> None:
    assert [m.version for m in migrations()] == list(range(1, LATEST + 1))
    assert all(m.sql.strip() for m in migrations())


@pytest.mark.parametrize("start", range(LATEST + 1))
def test_a_database_at_any_earlier_version_migrates_to_the_fresh_schema(
    tmp_path: Path, start: int
) -> None:
    fresh = tmp_path / "fresh.db"
    SqliteStore(fresh).close()
    old = tmp_path / f"at-{start}.db"
    conn = sqlite3.connect(old, isolation_level=None)
    assert migrate(conn, target=start) == start
    conn.close()
    store = SqliteStore(old)
    assert store.schema_version == LATEST
    store.close()
    assert _schema(old) == _schema(fresh)


def test_opening_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    SqliteStore(path).close()
    before = _schema(path)
    SqliteStore(path).close()
    assert _schema(path) == before


def test_a_database_newer_than_the_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(StoreUnavailable) as e:
        SqliteStore(path)
    assert "newer" in str(e.value)


def test_a_failing_migration_leaves_the_database_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "clash.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE organisations (id TEXT)")  # in the way of migration 1
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == 0
    assert not conn.in_transaction
    conn.close()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just notes " * 100)
    with pytest.raises(StoreUnavailable):
        SqliteStore(path)


@pytest.mark.parametrize("bad", [None, 42, ["x.db"]])
def test_a_path_must_be_a_path(bad: object) -> None:
    from contactlog_core import ValidationError

    with pytest.raises(ValidationError):
        SqliteStore(bad)


def test_migration_2_backfills_what_the_queries_read(tmp_path: Path) -> None:
    import pendulum

    import contactlog_core as cl

    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    t0 = 1_793_610_000_000_000
    conn.executescript(
        f"""
        INSERT INTO organisations VALUES ('o', 'Northfield', 'UTC', {t0}, 1);
        INSERT INTO staff VALUES ('s1', 'o', 'Élodie Martin', 'office_admin', {t0}, 1);
        INSERT INTO logs (id, org_id, channel, subject, notes, priority, status, owner,
                          created_by, created_at, updated_at, version)
             VALUES ('l1', 'o', 'phone', 'École bus', '', 'normal', 'IN_PROGRESS', 's1',
                     's1', {t0}, {t0}, 1),
                    ('l2', 'o', 'phone', 'Fees', '', 'normal', 'COMPLETED', NULL,
                     's1', {t0}, {t0}, 1);
        INSERT INTO follow_ups (id, log_id, position, due_at, reason, priority, created_at)
             VALUES ('f1', 'l1', 0, {t0 + 10**9}, 'call', 'high', {t0}),
                    ('f2', 'l2', 0, {t0 + 10**9}, 'call', 'high', {t0});
        """
    )
    conn.close()
    clock = cl.ManualClock(pendulum.from_timestamp(t0 / 1e6))
    app = cl.ContactLogApp(SqliteStore(path), clock=clock)
    me = app.actor("s1")
    page = app.logs.list(me, owner_name="elo", sort="subject")
    assert [(r.id, r.owner_name, r.next_due_at is not None) for r in page.items] == [
        ("l1", "Élodie Martin", True)
    ]
    assert app.logs.badges(me).organisation.follow_ups == 1
    assert [r.id for r in app.logs.follow_ups(me).items] == ["f1"]
    app.close()


def test_migration_9_indexes_every_interaction_again(tmp_path: Path) -> None:
    """Version 8 (time keys as rowids, prefixes of 1 to 3) is rewritten with nothing lost."""
    import pendulum

    from contactlog_core.adapters.sqlite.interaction_rows import org_token
    from contactlog_core.domain.interactions.model import (
        ClientRef,
        Counterpart,
        Direction,
        Interaction,
        InteractionId,
        InteractionKind,
        InteractionLinks,
    )
    from contactlog_core.domain.interactions.queries import InteractionQuery
    from contactlog_core.domain.interactions.search import parse_search
    from contactlog_core.domain.organisations.model import Organisation, OrgId, Staff, StaffId

    t0 = pendulum.datetime(2026, 3, 29, 0, 30, tz="UTC")  # London's clocks go forward at 01:00
    orgs = (OrgId("örg-1"), OrgId("org-2"))  # a token's hex is of the id's UTF-8 bytes
    rows = [
        Interaction(
            id=InteractionId(f"int-{n:03d}"),
            org_id=orgs[n % 2],
            client=ClientRef("c1", "Jane"),
            kind=InteractionKind.EMAIL,
            direction=Direction.INBOUND,
            counterpart=Counterpart("Jane Doe", "jane@example.com"),
            subject="",
            body="",
            occurred_at=t0.add(minutes=17 * n),
            source="imap",
            source_ref=f"<{n}@example.com>",
            description=["Invoice 2231 overdue", "Boiler réunion", "Invoiced twice"][n % 3],
            tags=("heating",) if n % 5 == 0 else (),
            links=InteractionLinks(None, None),
            captured_by=StaffId(f"s{n % 2}"),
            captured_at=t0,
            updated_at=t0,
            version=1,
        )
        for n in range(40)
    ]

    def seeded(path: Path) -> SqliteStore:
        store = SqliteStore(path)
        with store.unit_of_work() as uow:
            for n, org in enumerate(orgs):
                uow.organisations.add(Organisation(org, "Org", "Europe/London", t0))
                uow.staff.add(Staff(StaffId(f"s{n}"), org, "Ann", "office_admin", t0))
            for row in rows:
                uow.interactions.add(row)
        return store

    old, fresh, made = tmp_path / "v8.db", tmp_path / "fresh.db", tmp_path / "made.db"
    seeded(made).close()
    # A database at version 8 holding the same: the time key was the rowid, and the index
    # held what the store wrote there, row by row.
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, target=8)
    conn.execute("ATTACH DATABASE ? AS made", (str(made),))
    columns = ", ".join(
        name for (name,) in conn.execute("SELECT name FROM pragma_table_info('interactions')")
    )
    conn.executescript(
        f"""
        BEGIN;
        INSERT INTO organisations SELECT * FROM made.organisations;
        INSERT INTO staff SELECT * FROM made.staff;
        INSERT INTO interactions ({columns}) SELECT {columns} FROM made.interactions;
        INSERT INTO interaction_terms SELECT * FROM made.interaction_terms;
        COMMIT;
        """
    )
    indexed = conn.execute("SELECT seq, org_id, search_words FROM interactions").fetchall()
    conn.executemany(
        "INSERT INTO interaction_search (rowid, words) VALUES (?, ?)",
        [(seq, f"{org_token(org)} {words}") for seq, org, words in indexed],
    )
    conn.close()
    assert len(indexed) == len(rows)

    migrated, reference = SqliteStore(old), seeded(fresh)
    assert migrated.schema_version == LATEST
    assert _schema(old) == _schema(fresh)
    for typed in ("inv", "invo", "invoi", "invoiced", "réun boil", "2231", "2026-03", "heat"):
        for org in orgs:
            query = InteractionQuery(
                org_id=org, search=parse_search(typed), timezone="Europe/London", per_page=50
            )
            answers = []
            for store in (migrated, reference):
                with store.unit_of_work(read_only=True) as uow:
                    answers.append([i.id for i in uow.interactions.page(query).items])
            assert answers[0] == answers[1], (typed, org)
            assert answers[0], (typed, org)
    with sqlite3.connect(old) as conn:
        conn.execute(
            "INSERT INTO interaction_search (interaction_search) VALUES ('integrity-check')"
        )
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for store in (migrated, reference):  # every row, as it was stored
        with store.unit_of_work(read_only=True) as uow:
            assert [uow.interactions.get(i.org_id, i.id) for i in rows] == rows
    migrated.close()
    reference.close()
