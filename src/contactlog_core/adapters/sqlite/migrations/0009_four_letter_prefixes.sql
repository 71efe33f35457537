-- The word index again, with a prefix index of 4 characters beside those of 1
-- to 3. A query word of four characters may begin hundreds of whole words; it
-- was then searched as a prefix without an index of its own, which merges
-- every posting of every such word before the first row comes back (the
-- slowest as-you-type searches at a million interactions). Rebuilt from the
-- words each row keeps, in rowid order, so the new index is written in one pass.
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
