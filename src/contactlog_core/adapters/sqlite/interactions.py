"""Interactions in SQLite: rows, the FTS5 search index kept in step, and pages that stop early.

The newest-first page (the list as one opens it, and every search as one
types) reads time keys in order (see migration 9) and stops after one
page: it fetches the first ``offset + per_page + 1`` candidates, completes
the second the last of them falls in, and orders that handful exactly as
``domain.interactions.query_rules.sort_interactions`` does. Other sorts are plain
``ORDER BY`` over stored sort keys. Totals are counted up to ``MAX_COUNT``.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from contactlog_core.adapters.sqlite.db import Database, translated
from contactlog_core.adapters.sqlite.interaction_rows import (
    INSERT,
    NAMES,
    OCCURRED_AT,
    SEQ,
    SLOT_BITS,
    SLOTS,
    SPARE,
    UPDATE,
    indexed_words,
    interaction_from_row,
    interaction_values,
    org_token,
    time_key,
    time_key_range,
)
from contactlog_core.domain.interactions.model import Interaction, InteractionId
from contactlog_core.domain.interactions.queries import (
    MAX_COUNT,
    InteractionPage,
    InteractionQuery,
    InteractionSort,
)
from contactlog_core.domain.interactions.search import searchable_words
from contactlog_core.domain.organisations.model import OrgId
from contactlog_core.errors import (
    ConcurrencyConflict,
    NotFound,
    StoreUnavailable,
    ValidationError,
)

__all__ = ["SqliteInteractions"]

SELECT_BY_ID = "SELECT * FROM interactions WHERE id = ? AND org_id = ?"
SELECT_BY_SOURCE = "SELECT * FROM interactions WHERE org_id = ? AND source = ? AND source_ref = ?"
SELECT_BY_SOURCES = "SELECT * FROM interactions WHERE org_id = ? AND source = ? AND source_ref IN"
_CHUNK = 500  # bound parameters per read, well below any SQLite build's limit
SELECT_STORED = "SELECT seq, version, search_words FROM interactions WHERE id = ? AND org_id = ?"
LAST_SLOT = "SELECT max(seq) FROM interactions WHERE seq BETWEEN ? AND ?"
KEY_TAKEN = "SELECT 1 FROM interactions WHERE seq = ?"
INDEX_WORDS = "INSERT INTO interaction_search (rowid, words) VALUES (?, ?)"
# A contentless index forgets a row only when told exactly what it indexed.
UNINDEX_WORDS = (
    "INSERT INTO interaction_search (interaction_search, rowid, words) VALUES ('delete', ?, ?)"
)
ORG_TIMEZONE = "SELECT timezone FROM organisations WHERE id = ?"
GAIN_TERM = """
INSERT INTO interaction_terms (term, uses) VALUES (?, ?)
    ON CONFLICT (term) DO UPDATE SET uses = uses + excluded.uses
"""
DROP_LAST_USES = "DELETE FROM interaction_terms WHERE term = ? AND uses = ?"
LOSE_TERM = "UPDATE interaction_terms SET uses = uses - ? WHERE term = ?"
OTHERS_HERE = """
SELECT EXISTS (SELECT 1 FROM interactions WHERE org_id < ?)
    OR EXISTS (SELECT 1 FROM interactions WHERE org_id > ?)
"""
TERMS_FROM = "SELECT term FROM interaction_terms WHERE term >= ? AND term < ? LIMIT ?"
INDEXED_PREFIX = 4  # prefix='1 2 3 4' in migration 9: words this short are looked up directly
MAX_EXPANSION = 200  # whole words a query word may stand for before it is searched as a prefix
SLACK = 64  # candidates read past a page, so that the second it ends in is usually complete
_LAST_CHAR = "\U0010ffff"


class SqliteInteractions:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._zones: dict[str, str] = {}
        # Index words of the rows added in this unit of work, written by ``flush``: FTS5
        # buffers rowids that ascend and writes a new segment whenever one does not, and
        # interactions arrive in any time order. So are the term counts, once per term.
        self._unindexed: list[tuple[int, str]] = []
        self._uncounted: collections.Counter[str] = collections.Counter()

    # --- writes ----------------------------------------------------------------------------

    def add(self, interaction: Interaction) -> None:
        words = self._words(interaction)
        row = interaction_values(interaction, words)
        row[SEQ] = time_key(row[OCCURRED_AT])
        try:
            self._db.conn.execute(INSERT, row)
        except sqlite3.IntegrityError:
            self._insert_refused(interaction, row)
        except sqlite3.Error:
            with translated("capture an interaction"):
                raise
        self._unindexed.append((row[SEQ], indexed_words(interaction.org_id, words)))
        self._uncounted.update(words.split())

    def flush(self) -> None:
        """Write the index words and term counts this unit of work has kept back.

        Runs before the commit and before anything that reads the index or
        the terms, so nothing ever reads them behind the rows.
        """
        if self._unindexed:
            self._unindexed.sort()
            self._db.many(INDEX_WORDS, self._unindexed)
            self._unindexed = []
        if self._uncounted:
            gained = sorted((t, n) for t, n in self._uncounted.items() if n > 0)
            lost = sorted((t, -n) for t, n in self._uncounted.items() if n < 0)
            self._uncounted = collections.Counter()
            if gained:
                self._db.many(GAIN_TERM, gained)
            if lost:
                self._db.many(DROP_LAST_USES, lost)
                self._db.many(LOSE_TERM, [(n, t) for t, n in lost])

    def update(self, interaction: Interaction, *, expected_version: int) -> None:
        self.flush()  # the row's words may still be kept back, and are taken out below
        stored = self._db.one(SELECT_STORED, (interaction.id, interaction.org_id))
        words = self._words(interaction)
        params = dict(zip(NAMES, interaction_values(interaction, words), strict=True))
        params["expected_version"] = expected_version
        if stored is None or self._db.run(UPDATE, params).rowcount != 1:
            actual = None if stored is None else stored["version"]
            raise ConcurrencyConflict("interaction", interaction.id, expected_version, actual)
        if stored["search_words"] != words:
            seq = stored["seq"]
            self._db.run(
                UNINDEX_WORDS, (seq, indexed_words(interaction.org_id, stored["search_words"]))
            )
            self._db.run(INDEX_WORDS, (seq, indexed_words(interaction.org_id, words)))
            old, new = set(stored["search_words"].split()), set(words.split())
            self._uncounted.update(new - old)
            self._uncounted.subtract(old - new)

    def _insert_refused(self, interaction: Interaction, row: list[Any]) -> None:
        """Why the database refused ``interaction``: a capture of it, or its key being taken."""
        i = interaction
        found = self.find_by_source(i.org_id, i.source, i.source_ref)
        if found is not None:  # captured meanwhile: the unique (org, source, ref) said no
            raise ConcurrencyConflict("interaction", i.id, 0, found.version) from None
        if self._db.one(KEY_TAKEN, (row[SEQ],)) is None:
            raise ValidationError("interaction", f"the database refused {i.id!r}") from None
        # Another interaction of the same microsecond holds the key: the next spare one.
        first, last = time_key_range(row[OCCURRED_AT])
        taken = self._db.one(LAST_SLOT, (first + SPARE, last))
        key = first + SPARE if taken is None or taken[0] is None else taken[0] + 1
        if key > last:
            raise StoreUnavailable(
                "capture an interaction",
                f"more than {SLOTS - SPARE} interactions share a microsecond within one second",
            )
        row[SEQ] = key
        with translated("capture an interaction"):
            self._db.conn.execute(INSERT, row)

    def _words(self, interaction: Interaction) -> str:
        return " ".join(searchable_words(interaction, self._zone(interaction.org_id)))

    def _zone(self, org_id: str) -> str:
        # An organisation's zone never changes, so the words indexed with it stay right.
        if org_id not in self._zones:
            row = self._db.one(ORG_TIMEZONE, (org_id,))
            if row is None:
                raise NotFound("organisation", org_id)
            self._zones[org_id] = row[0]
        return self._zones[org_id]

    # --- reads -----------------------------------------------------------------------------

    def get(self, org_id: OrgId, interaction_id: InteractionId) -> Interaction:
        row = self._db.one(SELECT_BY_ID, (interaction_id, org_id))
        if row is None:
            raise NotFound("interaction", interaction_id)
        return interaction_from_row(row)

    def find_by_source(self, org_id: OrgId, source: str, source_ref: str) -> Interaction | None:
        row = self._db.one(SELECT_BY_SOURCE, (org_id, source, source_ref))
        return None if row is None else interaction_from_row(row)

    def find_by_sources(
        self, org_id: OrgId, refs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Interaction]:
        by_source: dict[str, set[str]] = collections.defaultdict(set)
        for source, ref in refs:
            by_source[source].add(ref)
        found: dict[tuple[str, str], Interaction] = {}
        # Per source, the references in chunks: each a walk of the unique index, not a scan.
        for source, wanted in by_source.items():
            ordered = sorted(wanted)
            for chunk in range(0, len(ordered), _CHUNK):
                part = ordered[chunk : chunk + _CHUNK]
                rows = self._db.all(
                    f"{SELECT_BY_SOURCES} ({', '.join('?' * len(part))})",
                    [org_id, source, *part],
                )
                for row in rows:
                    found[(source, row["source_ref"])] = interaction_from_row(row)
        return found

    def page(self, query: InteractionQuery) -> InteractionPage:
        start = (query.page - 1) * query.per_page
        match = self._match(query)
        if match is _NOTHING:
            return InteractionPage((), query.page, query.per_page, False, 0, True)
        if _in_time_order(query):
            sql = _Filter(query, match, join=bool(query.client_id or query.kinds))
            ordered, has_next, seen = self._in_time_order(sql, query, start)
            page_seqs = ordered[start : start + query.per_page]
        else:
            sql = _Filter(query, match, join=True)
            rows = self._db.all(
                f"SELECT i.seq {sql.source} WHERE {sql.where} ORDER BY {_order_by(query)}"
                " LIMIT ? OFFSET ?",
                [*sql.params, query.per_page + 1, start],
            )
            page_seqs = [r[0] for r in rows[: query.per_page]]
            has_next = len(rows) > query.per_page
            # Past the last page nothing is seen, and the count is not known from it.
            seen = start + len(rows) if not has_next and (rows or start == 0) else None
        # When every match has been seen the count is known; otherwise count, up to a cap.
        total = self._count(sql) if seen is None else seen
        return InteractionPage(
            items=self._load(page_seqs),
            page=query.page,
            per_page=query.per_page,
            has_next=has_next,
            total=min(total, MAX_COUNT),
            total_is_exact=total <= MAX_COUNT,
        )

    def _in_time_order(
        self, sql: _Filter, query: InteractionQuery, start: int
    ) -> tuple[list[int], bool, int | None]:
        """The first matches in time order: their rowids, whether more follow, the total if known.

        Rowid order is time order by the second. One read of rowids alone
        (a search reads at least ``MAX_COUNT + 1`` of them, so its count
        comes with it); the second the page ends in is completed if it goes
        on past what was read; then only those candidates' instants and ids
        are read, to order them exactly.
        """
        cut = start + query.per_page + 1  # rows to order: the pages so far and one more
        fetch = cut + SLACK if query.search is None else max(cut + SLACK, MAX_COUNT + 1)
        descending = query.order[0].descending
        way = "DESC" if descending else "ASC"
        seqs = [
            row[0]
            for row in self._db.all(
                f"SELECT {sql.key} {sql.source} WHERE {sql.where} ORDER BY {sql.key} {way} LIMIT ?",
                [*sql.params, fetch],
            )
        ]
        more = len(seqs) == fetch
        seen = None if more else len(seqs)
        if more and query.search is not None:
            seen = len(seqs)  # more than MAX_COUNT: the count is capped anyway
        if len(seqs) > cut:
            second = seqs[cut - 1] >> SLOT_BITS
            candidates = [q for n, q in enumerate(seqs) if n < cut or q >> SLOT_BITS == second]
            if more and seqs[-1] >> SLOT_BITS == second:
                first_of_second, last_of_second = second << SLOT_BITS, (second + 1 << SLOT_BITS) - 1
                low, high = (
                    (first_of_second, seqs[-1] - 1)
                    if descending
                    else (seqs[-1] + 1, last_of_second)
                )
                candidates += [
                    row[0]
                    for row in self._db.all(
                        f"SELECT {sql.key} {sql.source} WHERE {sql.where}"
                        f" AND {sql.key} BETWEEN ? AND ?",
                        [*sql.params, low, high],
                    )
                ]
        else:
            candidates = seqs
        ordered = self._in_exact_order(candidates, descending)[:cut]
        return ordered, len(ordered) == cut, seen

    def _in_exact_order(self, seqs: Sequence[int], descending: bool) -> list[int]:
        # As sort_interactions orders by time: the instant, then the id, both one way.
        keys: list[tuple[int, str, int]] = []
        for chunk in range(0, len(seqs), 500):
            part = seqs[chunk : chunk + 500]
            marks = ", ".join("?" * len(part))
            rows = self._db.all(
                f"SELECT occurred_at, id, seq FROM interactions WHERE seq IN ({marks})", list(part)
            )
            keys += [(row[0], row[1], row[2]) for row in rows]
        keys.sort(key=lambda k: (k[0], k[1]), reverse=descending)
        return [k[2] for k in keys]

    def _match(self, query: InteractionQuery) -> str | None:
        """The FTS5 query of ``query``'s words (``None`` without words; ``_NOTHING`` if none can match).

        Every word is letters, digits, marks and hyphens only (parse_search),
        so quoting it makes it a literal: nothing a person types becomes FTS5
        syntax. A short word is a prefix query answered by a prefix index;
        a longer one stands for the whole words it begins, as the terms
        table lists them.
        """
        if query.search is None:
            return None
        self.flush()
        # The organisation's token keeps a search inside it, at the price of walking its
        # postings beside the words'; a database of one organisation needs no such fence.
        parts = [] if self._alone(query.org_id) else [f'"{org_token(query.org_id)}"']
        for word in query.search.words:
            if len(word) <= INDEXED_PREFIX:
                parts.append(f'"{word}"*')
                continue
            terms = [
                row[0]
                for row in self._db.all(TERMS_FROM, (word, word + _LAST_CHAR, MAX_EXPANSION + 1))
            ]
            if not terms:
                return _NOTHING
            if len(terms) > MAX_EXPANSION:
                parts.append(f'"{word}"*')
            else:
                parts.append("(" + " OR ".join(f'"{t}"' for t in terms) + ")")
        return " AND ".join(parts)

    def _alone(self, org_id: str) -> bool:
        """True when no other organisation has a single interaction here."""
        row = self._db.one(OTHERS_HERE, (org_id, org_id))
        return row is not None and not row[0]

    def stream(self, query: InteractionQuery) -> Iterator[Interaction]:
        match = self._match(query)
        if match is _NOTHING:
            return iter(())
        sql = _Filter(query, match, join=True)
        if not _in_time_order(query):
            cursor = self._db.run(
                f"SELECT i.* {sql.source} WHERE {sql.where} ORDER BY {_order_by(query)}",
                sql.params,
            )
            return (interaction_from_row(row) for row in cursor)
        return _by_time(self._db, sql, descending=query.sort[0].descending)

    def _count(self, sql: _Filter) -> int:
        row = self._db.one(
            f"SELECT count(*) FROM (SELECT 1 {sql.source} WHERE {sql.where} LIMIT ?)",
            [*sql.params, MAX_COUNT + 1],
        )
        return 0 if row is None else int(row[0])

    def _load(self, seqs: Sequence[int]) -> tuple[Interaction, ...]:
        if not seqs:
            return ()
        marks = ", ".join("?" * len(seqs))
        rows = self._db.all(f"SELECT * FROM interactions WHERE seq IN ({marks})", list(seqs))
        by_seq = {row["seq"]: interaction_from_row(row) for row in rows}
        return tuple(by_seq[seq] for seq in seqs)


_NOTHING = "\x00"  # a query word no interaction holds: the answer is empty, unasked


class _Filter:
    """The ``FROM`` and ``WHERE`` of a query: its organisation, client, kinds and words.

    A search reads the word index alone when nothing else is asked (its
    organisation's token keeps it inside the organisation); ``join`` adds
    the interactions, as the index's outer loop.
    """

    def __init__(self, query: InteractionQuery, match: str | None, *, join: bool) -> None:
        where: list[str] = []
        params: list[Any] = []
        if match is None:
            self.source = "FROM interactions AS i"
            self.key = "i.seq"
            where.append("i.org_id = ?")
            params.append(query.org_id)
        else:
            self.key = "s.rowid"
            self.source = "FROM interaction_search AS s"
            if join:
                # CROSS JOIN keeps the index as the outer loop: left to itself, the planner
                # may walk every interaction of the organisation and probe the index for each.
                self.source += " CROSS JOIN interactions AS i ON i.seq = s.rowid"
            where.append("interaction_search MATCH ?")
            params.append(match)
        if query.client_id is not None:
            where.append("i.client_id = ?")
            params.append(query.client_id)
        if query.kinds:
            kinds = sorted(k.value for k in query.kinds)
            where.append(f"i.kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        self.where = " AND ".join(where)
        self.params = params


def _in_time_order(query: InteractionQuery) -> bool:
    return len(query.order) == 1 and query.order[0].key is InteractionSort.OCCURRED_AT


_SORT_COLUMNS = {
    InteractionSort.OCCURRED_AT: "i.occurred_at",
    InteractionSort.KIND: "i.kind",
    InteractionSort.DESCRIPTION: "i.description_key",
    InteractionSort.COUNTERPART: "i.counterpart_key",
    InteractionSort.CAPTURED_AT: "i.captured_at",
}


def _order_by(query: InteractionQuery) -> str:
    # As sort_interactions: each field, missing keys last either way, then id in the
    # last field's direction.
    terms = [
        f"{_SORT_COLUMNS[f.key]} {'DESC' if f.descending else 'ASC'} NULLS LAST"
        for f in query.order
    ]
    last = "DESC" if query.order[-1].descending else "ASC"
    return ", ".join([*terms, f"i.id {last}"])


def _by_time(db: Database, sql: _Filter, *, descending: bool) -> Iterator[Interaction]:
    """Every match in time order, one second's interactions sorted at a time."""
    way = "DESC" if descending else "ASC"
    cursor = db.run(
        f"SELECT i.* {sql.source} WHERE {sql.where} ORDER BY {sql.key} {way}", sql.params
    )
    group: list[Interaction] = []
    second = None
    for row in cursor:
        if row["seq"] >> SLOT_BITS != second:
            yield from sorted(group, key=_sort_key, reverse=descending)
            group, second = [], row["seq"] >> SLOT_BITS
        group.append(interaction_from_row(row))
    yield from sorted(group, key=_sort_key, reverse=descending)


def _sort_key(interaction: Interaction) -> tuple[Any, str]:
    return (interaction.occurred_at, interaction.id)
