-- Organisations, staff, contact logs with their follow-ups, and the audit trail.
-- Instants are INTEGER microseconds since 1970-01-01 UTC: exact, compact, ordered.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
) STRICT;

CREATE TABLE staff (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_by_org_name ON staff (org_id, name);

CREATE TABLE logs (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    contact_id    TEXT,
    contact_name  TEXT,
    channel       TEXT NOT NULL,
    subject       TEXT NOT NULL,
    notes         TEXT NOT NULL,
    priority      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'COMPLETED')),
    owner         TEXT REFERENCES staff (id),
    created_by    TEXT NOT NULL REFERENCES staff (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    completed_by  TEXT REFERENCES staff (id),
    completed_at  INTEGER,
    version       INTEGER NOT NULL,
    -- The lock invariant, held by the database too.
    CHECK ((status = 'IN_PROGRESS') = (owner IS NOT NULL))
) STRICT;
CREATE INDEX logs_by_org_status_updated ON logs (org_id, status, updated_at);
CREATE INDEX logs_by_owner_status ON logs (owner, status);

CREATE TABLE follow_ups (
    id           TEXT PRIMARY KEY,
    log_id       TEXT NOT NULL REFERENCES logs (id),
    position     INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    assigned_to  TEXT REFERENCES staff (id),
    forward_to   TEXT REFERENCES staff (id),
    priority     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    done_at      INTEGER
) STRICT;
CREATE INDEX follow_ups_by_log ON follow_ups (log_id, position);

CREATE TABLE audit_events (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    org_id     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    command    TEXT NOT NULL,
    actor      TEXT,
    at         INTEGER NOT NULL,
    before     TEXT,
    after      TEXT
) STRICT;
CREATE INDEX audit_by_entity ON audit_events (org_id, entity_id, seq);
CREATE INDEX audit_by_org ON audit_events (org_id, seq);
