-- Outstanding follow-ups per organisation, and who holds each follow-up's log, kept by
-- triggers in the same transaction, so that badges and "my follow-ups" read a few
-- index entries instead of every open follow-up or every log a person holds.

CREATE TABLE follow_up_counts (
    org_id  TEXT PRIMARY KEY,
    n       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO follow_up_counts (org_id, n)
SELECT org_id, count(*) FROM follow_ups WHERE open = 1 GROUP BY org_id;

CREATE TRIGGER follow_up_counts_on_insert AFTER INSERT ON follow_ups WHEN NEW.open = 1 BEGIN
    INSERT INTO follow_up_counts (org_id, n) VALUES (NEW.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER follow_up_counts_on_open AFTER UPDATE OF open ON follow_ups
WHEN OLD.open IS NOT NEW.open BEGIN
    INSERT INTO follow_up_counts (org_id, n) VALUES (NEW.org_id, NEW.open - OLD.open)
        ON CONFLICT (org_id) DO UPDATE SET n = n + NEW.open - OLD.open;
END;

CREATE TRIGGER follow_up_counts_on_delete AFTER DELETE ON follow_ups WHEN OLD.open = 1 BEGIN
    UPDATE follow_up_counts SET n = n - 1 WHERE org_id = OLD.org_id;
END;

-- holder = the owner of the follow-up's log, for "unassigned, on a log I hold".
ALTER TABLE follow_ups ADD COLUMN holder TEXT;
UPDATE follow_ups SET holder = (SELECT owner FROM logs WHERE logs.id = follow_ups.log_id);

CREATE TRIGGER follow_ups_holder_on_insert AFTER INSERT ON follow_ups BEGIN
    UPDATE follow_ups SET holder = (SELECT owner FROM logs WHERE logs.id = NEW.log_id)
     WHERE id = NEW.id;
END;

CREATE TRIGGER follow_ups_holder_on_owner AFTER UPDATE OF owner ON logs
WHEN OLD.owner IS NOT NEW.owner BEGIN
    UPDATE follow_ups SET holder = NEW.owner WHERE log_id = NEW.id;
END;

CREATE INDEX follow_ups_open_unassigned_by_holder ON follow_ups (org_id, holder)
    WHERE open = 1 AND assigned_to IS NULL;
