-- What the log list, the badges and the open follow-ups list read, kept on the rows
-- they filter and sort, with an index for each question.
-- contactlog_fold() and contactlog_name_key() are the domain's own folding rules,
-- registered by migrate() on the connection that runs the migrations.

ALTER TABLE staff ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE staff SET name_key = contactlog_name_key(name);

ALTER TABLE logs ADD COLUMN subject_key TEXT NOT NULL DEFAULT '';
ALTER TABLE logs ADD COLUMN owner_key TEXT;
ALTER TABLE logs ADD COLUMN next_due_at INTEGER;
UPDATE logs
   SET subject_key = contactlog_fold(subject),
       owner_key = (SELECT name_key FROM staff WHERE staff.id = logs.owner),
       next_due_at = CASE WHEN status = 'COMPLETED' THEN NULL
                          ELSE (SELECT min(due_at) FROM follow_ups f
                                 WHERE f.log_id = logs.id AND f.done_at IS NULL) END;

-- open = 1 while the follow-up is outstanding: not done, on a log that is not completed.
ALTER TABLE follow_ups ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN open INTEGER NOT NULL DEFAULT 0;
UPDATE follow_ups
   SET org_id = (SELECT org_id FROM logs WHERE logs.id = follow_ups.log_id),
       open = (done_at IS NULL
               AND (SELECT status FROM logs WHERE logs.id = follow_ups.log_id) != 'COMPLETED');

DROP INDEX logs_by_org_status_updated;
DROP INDEX logs_by_owner_status;
CREATE INDEX logs_by_status_updated ON logs (org_id, status, updated_at, id);
CREATE INDEX logs_by_updated ON logs (org_id, updated_at, id);
CREATE INDEX logs_by_created ON logs (org_id, created_at, id);
CREATE INDEX logs_by_subject ON logs (org_id, subject_key, id);
CREATE INDEX logs_by_owner_key ON logs (org_id, owner_key, id);
CREATE INDEX logs_by_next_due ON logs (org_id, next_due_at, id);
CREATE INDEX logs_by_owner ON logs (org_id, owner, status);
CREATE INDEX logs_by_creator ON logs (org_id, created_by, status);
CREATE INDEX follow_ups_open ON follow_ups (org_id, open, due_at);
