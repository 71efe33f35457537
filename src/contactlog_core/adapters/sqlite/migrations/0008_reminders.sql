-- Reminders: each organisation's settings (JSON; '{}' means the defaults, switched
-- off) and the transactional outbox of reminder requests.
--
-- A log save writes its requests here in the same transaction; a delivery run
-- hands them to their sink and only then sets ``delivered_at``. A request that
-- failed waits until ``next_attempt_at``. ``(key, sequence)`` is unique: a key is
-- one reminder (a follow-up, a recipient, a kind), its sequence grows per change.
ALTER TABLE organisations ADD COLUMN reminders TEXT NOT NULL DEFAULT '{}';

CREATE TABLE reminder_outbox (
    id              INTEGER PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id),
    log_id          TEXT NOT NULL,
    key             TEXT NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence >= 0),
    sink            TEXT NOT NULL,
    request         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    delivered_at    INTEGER,
    UNIQUE (key, sequence)
) STRICT;

-- What a delivery run reads: one sink's pending requests that are due, oldest first.
CREATE INDEX reminder_outbox_pending ON reminder_outbox (sink, next_attempt_at, id)
    WHERE delivered_at IS NULL;
-- What a log save reads: the requests sent so far for the log's reminders.
CREATE INDEX reminder_outbox_by_log ON reminder_outbox (org_id, log_id);
