-- Interactions stored in the order they were captured, and a word index with
-- prefixes of four characters.
--
-- The time key ``seq`` (the second an interaction occurred, times 2^23, plus
-- its slot in that second) stops being the rowid and becomes a unique column
-- of its own. Sync jobs capture in any time order, and rows inserted at random
-- places in the table dirtied a page of it for every row, which each commit
-- then wrote out; now the table grows at its end and only the small index of
-- time keys takes random inserts. The organisation's and the client's indexes
-- end in ``seq``, so their lists still read in time order; the word index's
-- rowids are still the time keys, so a search still stops after one page.
--
-- A query word of four characters may begin hundreds of whole words; it was
-- searched as a prefix without an index of its own, which merges every
-- posting of every such word before the first row comes back (the slowest
-- as-you-type searches at a million interactions). The index is rebuilt from
-- the words each row keeps, in time key order, so it is written in one pass.
--
-- Both rewrite what is stored: allow a few minutes at a million interactions.
ALTER TABLE interactions RENAME TO interactions_before_9;

CREATE TABLE interactions (
    rid                 INTEGER PRIMARY KEY,
    seq                 INTEGER NOT NULL UNIQUE,
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

INSERT INTO interactions (
    seq, id, org_id, client_id, client_name, kind, direction, counterpart_name,
    counterpart_address, counterpart_key, subject, body, occurred_at, source, source_ref,
    description, description_key, tags, log_id, lead_id, captured_by, captured_at, updated_at,
    redacted_by, redacted_at, version, search_words)
SELECT seq, id, org_id, client_id, client_name, kind, direction, counterpart_name,
       counterpart_address, counterpart_key, subject, body, occurred_at, source, source_ref,
       description, description_key, tags, log_id, lead_id, captured_by, captured_at, updated_at,
       redacted_by, redacted_at, version, search_words
  FROM interactions_before_9
 ORDER BY seq;

DROP TABLE interactions_before_9;

-- The other sorts of the list, one organisation's or one client's; the first
-- two also give the newest-first list without a search.
CREATE INDEX interactions_by_org ON interactions (org_id, seq);
CREATE INDEX interactions_by_client ON interactions (org_id, client_id, seq);
CREATE INDEX interactions_by_kind ON interactions (org_id, kind, occurred_at, id);
CREATE INDEX interactions_by_description ON interactions (org_id, description_key, id);
CREATE INDEX interactions_by_counterpart ON interactions (org_id, counterpart_key, id);
CREATE INDEX interactions_by_captured ON interactions (org_id, captured_at, id);

DROP TABLE interaction_search;

CREATE VIRTUAL TABLE interaction_search USING fts5 (
    words,
    content = '',
    tokenize = "ascii tokenchars '-_'",
    prefix = '1 2 3 4',
    detail = none
);

INSERT INTO interaction_search (rowid, words)
SELECT seq, '_' || lower(hex(org_id)) || ' ' || search_words FROM interactions ORDER BY seq;
