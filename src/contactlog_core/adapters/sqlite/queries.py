"""The SQL the SQLite store runs, one named statement per question, parameters always bound."""

from __future__ import annotations

import functools

INSERT_ORGANISATION = """
INSERT INTO organisations (id, name, timezone, aging, reminders, created_at, version)
VALUES (:id, :name, :timezone, :aging, :reminders, :created_at, :version)
"""
SELECT_ORGANISATION = "SELECT * FROM organisations WHERE id = ?"
LIST_ORGANISATIONS = "SELECT * FROM organisations ORDER BY id"
UPDATE_ORGANISATION = """
UPDATE organisations
   SET name = :name, timezone = :timezone, aging = :aging, reminders = :reminders,
       version = :version
 WHERE id = :id AND version = :expected_version
"""

INSERT_STAFF = """
INSERT INTO staff (id, org_id, name, name_key, role, created_at, version)
VALUES (:id, :org_id, :name, :name_key, :role, :created_at, :version)
"""
SELECT_STAFF = "SELECT * FROM staff WHERE id = ?"
SELECT_STAFF_OF_ORG = "SELECT * FROM staff WHERE id = ? AND org_id = ?"
LIST_STAFF = "SELECT * FROM staff WHERE org_id = ? ORDER BY name, id"

INSERT_LOG = """
INSERT INTO logs (id, org_id, contact_id, contact_name, channel, subject, subject_key, notes,
                  priority, status, owner, owner_key, created_by, created_at, updated_at,
                  completed_by, completed_at, next_due_at, version)
VALUES (:id, :org_id, :contact_id, :contact_name, :channel, :subject, :subject_key, :notes,
        :priority, :status, :owner, (SELECT name_key FROM staff WHERE id = :owner), :created_by,
        :created_at, :updated_at, :completed_by, :completed_at, :next_due_at, :version)
"""
SELECT_LOG = "SELECT * FROM logs WHERE id = ? AND org_id = ?"
SELECT_LOG_VERSION = "SELECT version FROM logs WHERE id = ? AND org_id = ?"
# The columns a save may change; ``owner_key`` follows ``owner`` (a sub-select).
LOG_UPDATABLE: tuple[str, ...] = (
    "contact_id",
    "contact_name",
    "channel",
    "subject",
    "subject_key",
    "notes",
    "priority",
    "status",
    "owner",
    "updated_at",
    "completed_by",
    "completed_at",
    "next_due_at",
)


@functools.lru_cache(maxsize=64)
def update_log(columns: tuple[str, ...]) -> str:
    """The UPDATE that writes ``columns`` (and the version) of one log.

    Writing only what changed spares SQLite rewriting the index entries of the
    other columns; that is most of an UPDATE's cost. Optimistic concurrency:
    the row changes only if it is still at the version read.
    """
    sets = [f"{column} = :{column}" for column in columns]
    if "owner" in columns:
        sets.append("owner_key = (SELECT name_key FROM staff WHERE id = :owner)")
    sets.append("version = :version")
    return (
        f"UPDATE logs SET {', '.join(sets)}"
        " WHERE id = :id AND org_id = :org_id AND version = :expected_version"
    )


SELECT_FOLLOW_UPS = "SELECT * FROM follow_ups WHERE log_id = ? ORDER BY position"
UPSERT_FOLLOW_UP = """
INSERT INTO follow_ups (id, log_id, org_id, position, due_at, reason, assigned_to, forward_to,
                        priority, created_at, done_at, open)
VALUES (:id, :log_id, :org_id, :position, :due_at, :reason, :assigned_to, :forward_to,
        :priority, :created_at, :done_at, :open)
ON CONFLICT (id) DO UPDATE SET
       position = excluded.position, due_at = excluded.due_at, reason = excluded.reason,
       assigned_to = excluded.assigned_to, forward_to = excluded.forward_to,
       priority = excluded.priority, done_at = excluded.done_at, open = excluded.open
 WHERE follow_ups.log_id = excluded.log_id
"""

INSERT_AUDIT_EVENT = """
INSERT INTO audit_events (id, org_id, entity, entity_id, command, actor, at, before, after,
                          detail, before_changes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
AUDIT_EVENTS_OF_ORG = "SELECT * FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT ?"
AUDIT_EVENTS_OF_ENTITY = """
SELECT * FROM audit_events WHERE org_id = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?
"""

# When a log is completed or reopened, its follow-ups stop or start being outstanding.
SET_FOLLOW_UPS_OPEN = """
UPDATE follow_ups SET open = (done_at IS NULL AND :log_open)
 WHERE log_id = :log_id AND open != (done_at IS NULL AND :log_open)
"""

LOG_COUNTS_OF_ORG = "SELECT status, n FROM log_counts WHERE org_id = ?"
SUM_LOG_COUNTS = "SELECT coalesce(sum(n), 0) FROM log_counts WHERE org_id = ?"
COUNT_MY_OPEN_LOGS = (
    "SELECT count(*) FROM logs WHERE org_id = ? AND created_by = ? AND status = 'OPEN'"
)
COUNT_MY_HELD_LOGS = (
    "SELECT count(*) FROM logs WHERE org_id = ? AND owner = ? AND status = 'IN_PROGRESS'"
)
COUNT_OPEN_FOLLOW_UPS = "SELECT coalesce(sum(n), 0) FROM follow_up_counts WHERE org_id = ?"
# One's own outstanding follow-ups, in three disjoint parts, each served by an index:
# assigned to me; forwarded to me (assigned to someone else or no one); unassigned and
# not forwarded to me, on a log I hold. Parameters: org, me, org, me, me, org, me, me.
MY_OPEN_FOLLOW_UP_IDS = """
SELECT f.id FROM follow_ups f WHERE f.org_id = ? AND f.open = 1 AND f.assigned_to = ?
UNION ALL
SELECT f.id FROM follow_ups f
 WHERE f.org_id = ? AND f.open = 1 AND f.forward_to = ? AND f.assigned_to IS NOT ?
UNION ALL
SELECT f.id FROM follow_ups f
 WHERE f.org_id = ? AND f.open = 1 AND f.assigned_to IS NULL AND f.holder = ?
   AND f.forward_to IS NOT ?
"""
COUNT_MY_OPEN_FOLLOW_UPS = "SELECT count(*) FROM (" + MY_OPEN_FOLLOW_UP_IDS + ")"
