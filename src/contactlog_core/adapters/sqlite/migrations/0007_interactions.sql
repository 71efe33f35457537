-- Captured interactions and their search index.
--
-- ``seq`` (the rowid) follows time: the second the interaction occurred, times
-- 2^23, plus a slot for the interactions of that same second in capture order.
-- So the newest-first list and the search index both read in rowid order and
-- stop after one page; within one second the store orders by the exact instant
-- and id itself. ``search_words`` is what the index holds for the row, kept to
-- take it out again on a change (the index itself stores no text).
CREATE TABLE interactions (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    org_id              TEXT NOT NULL REFERENCES organisations (id),
    client_id           TEXT NOT NULL,
    client_name         TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('email', 'sms', 'whatsapp', 'call', 'note',
                                                     'meeting', 'other')),
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    counterpart_name    TEXT NOT NULL,
    counterpart_address TEXT NOT NULL,
    counterpart_key     TEXT,
    subject             TEXT NOT NULL,
    body                TEXT NOT NULL,
    occurred_at         INTEGER NOT NULL,
    source              TEXT NOT NULL,
    source_ref          TEXT NOT NULL,
    description         TEXT NOT NULL,
    description_key     TEXT,
    tags                TEXT NOT NULL,
    log_id              TEXT,
    lead_id             TEXT,
    captured_by         TEXT NOT NULL REFERENCES staff (id),
    captured_at         INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    redacted_by         TEXT REFERENCES staff (id),
    redacted_at         INTEGER,
    version             INTEGER NOT NULL,
    search_words        TEXT NOT NULL,
    UNIQUE (org_id, source, source_ref),
    CHECK ((redacted_by IS NULL) = (redacted_at IS NULL))
) STRICT;

-- The other sorts of the list, one organisation's or one client's.
CREATE INDEX interactions_by_org ON interactions (org_id);
CREATE INDEX interactions_by_client ON interactions (org_id, client_id);
CREATE INDEX interactions_by_kind ON interactions (org_id, kind, occurred_at, id);
CREATE INDEX interactions_by_description ON interactions (org_id, description_key, id);
CREATE INDEX interactions_by_counterpart ON interactions (org_id, counterpart_key, id);
CREATE INDEX interactions_by_captured ON interactions (org_id, captured_at, id);

-- Words as the domain cuts them (domain.interaction_search.searchable_words),
-- separated by spaces, after the organisation's own token: "_" and the hex of
-- its id. The ascii tokenizer splits on nothing else that can occur in them (a
-- hyphen belongs to a date; a word never holds "_", so no word or query word
-- can reach an organisation's token), and the index holds exactly those words.
-- Prefix indexes of 1 to 3 characters answer the shortest as-you-type words.
CREATE VIRTUAL TABLE interaction_search USING fts5 (
    words,
    content = '',
    tokenize = "ascii tokenchars '-_'",
    prefix = '1 2 3',
    detail = none
);

-- Every word the index holds, with how many interactions hold it. A query word
-- of four characters or more is looked up here and searched as the few whole
-- words it begins: FTS5 reads a whole word's postings lazily, newest first, but
-- merges every posting of a prefix query before it can return the first row.
-- Counted, so that a word no interaction holds any more (after a redaction) goes.
CREATE TABLE interaction_terms (
    term TEXT PRIMARY KEY,
    uses INTEGER NOT NULL CHECK (uses > 0)
) WITHOUT ROWID, STRICT;
