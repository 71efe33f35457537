-- Logs per organisation and status, kept by triggers in the same transaction as the
-- change, so that list totals and badges read a few rows instead of counting an index.

CREATE TABLE log_counts (
    org_id  TEXT NOT NULL,
    status  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (org_id, status)
) STRICT, WITHOUT ROWID;

INSERT INTO log_counts (org_id, status, n)
SELECT org_id, status, count(*) FROM logs GROUP BY org_id, status;

CREATE TRIGGER log_counts_on_insert AFTER INSERT ON logs BEGIN
    INSERT INTO log_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
        ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER log_counts_on_status AFTER UPDATE OF status ON logs
WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE log_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
    INSERT INTO log_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
        ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER log_counts_on_delete AFTER DELETE ON logs BEGIN
    UPDATE log_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
END;
