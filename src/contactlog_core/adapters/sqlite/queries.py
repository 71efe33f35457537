"""The SQL the SQLite store runs, one named statement per question, parameters always bound."""

from __future__ import annotations

INSERT_ORGANISATION = """
INSERT INTO organisations (id, name, timezone, created_at, version)
VALUES (:id, :name, :timezone, :created_at, :version)
"""
SELECT_ORGANISATION = "SELECT * FROM organisations WHERE id = ?"

INSERT_STAFF = """
INSERT INTO staff (id, org_id, name, role, created_at, version)
VALUES (:id, :org_id, :name, :role, :created_at, :version)
"""
SELECT_STAFF = "SELECT * FROM staff WHERE id = ?"
SELECT_STAFF_OF_ORG = "SELECT * FROM staff WHERE id = ? AND org_id = ?"
LIST_STAFF = "SELECT * FROM staff WHERE org_id = ? ORDER BY name, id"

INSERT_LOG = """
INSERT INTO logs (id, org_id, contact_id, contact_name, channel, subject, notes, priority,
                  status, owner, created_by, created_at, updated_at, completed_by,
                  completed_at, version)
VALUES (:id, :org_id, :contact_id, :contact_name, :channel, :subject, :notes, :priority,
        :status, :owner, :created_by, :created_at, :updated_at, :completed_by,
        :completed_at, :version)
"""
SELECT_LOG = "SELECT * FROM logs WHERE id = ? AND org_id = ?"
SELECT_LOG_VERSION = "SELECT version FROM logs WHERE id = ? AND org_id = ?"
# Optimistic concurrency: the row changes only if it is still at the version read.
UPDATE_LOG = """
UPDATE logs
   SET contact_id = :contact_id, contact_name = :contact_name, channel = :channel,
       subject = :subject, notes = :notes, priority = :priority, status = :status,
       owner = :owner, updated_at = :updated_at, completed_by = :completed_by,
       completed_at = :completed_at, version = :version
 WHERE id = :id AND org_id = :org_id AND version = :expected_version
"""

SELECT_FOLLOW_UPS = "SELECT * FROM follow_ups WHERE log_id = ? ORDER BY position"
UPSERT_FOLLOW_UP = """
INSERT INTO follow_ups (id, log_id, position, due_at, reason, assigned_to, forward_to,
                        priority, created_at, done_at)
VALUES (:id, :log_id, :position, :due_at, :reason, :assigned_to, :forward_to,
        :priority, :created_at, :done_at)
ON CONFLICT (id) DO UPDATE SET
       position = excluded.position, due_at = excluded.due_at, reason = excluded.reason,
       assigned_to = excluded.assigned_to, forward_to = excluded.forward_to,
       priority = excluded.priority, done_at = excluded.done_at
 WHERE follow_ups.log_id = excluded.log_id
"""

INSERT_AUDIT_EVENT = """
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before, after)
VALUES (:id, :org_id, :entity, :entity_id, :command, :actor, :at, :before, :after)
"""
AUDIT_EVENTS_OF_ORG = "SELECT * FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT ?"
AUDIT_EVENTS_OF_ENTITY = """
SELECT * FROM audit_events WHERE org_id = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?
"""
