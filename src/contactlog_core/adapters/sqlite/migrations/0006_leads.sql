-- Sales leads, and each organisation's aging policy (JSON; '{}' means the defaults).
--
-- A lead's status follows from its facts and the time. ``anchor_at`` is where
-- "untouched" counts from (the later of the last touch and the follow-up): the
-- views and the sweep compare it with cutoff instants computed once per
-- organisation, so every status question is an indexed range, never a scan
-- through Python. ``status`` is the status as last written (by a command or
-- the sweep).

ALTER TABLE organisations ADD COLUMN aging TEXT NOT NULL DEFAULT '{}';
-- What a command said beside its change (a touch's note), as JSON.
ALTER TABLE audit_events ADD COLUMN detail TEXT;

CREATE TABLE leads (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    contact          TEXT NOT NULL,
    owner            TEXT REFERENCES staff (id),
    follow_up_at     INTEGER,
    last_touch_at    INTEGER NOT NULL,
    last_touch_by    TEXT NOT NULL REFERENCES staff (id),
    last_touch_kind  TEXT NOT NULL,
    anchor_at        INTEGER NOT NULL,
    archived_reason  TEXT,
    archive_note     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('NOT_SCHEDULED', 'SCHEDULED', 'MISSED',
                                                     'PAST_DUE', 'ABANDONED', 'AVAILABLE',
                                                     'ARCHIVED')),
    created_by       TEXT NOT NULL REFERENCES staff (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL,
    CHECK (anchor_at = max(last_touch_at, coalesce(follow_up_at, last_touch_at))),
    CHECK ((status = 'ARCHIVED') = (archived_reason IS NOT NULL))
) STRICT;

-- One owner's leads: To Be Scheduled (by how long untouched), Scheduled (by date).
CREATE INDEX leads_by_owner_anchor ON leads (org_id, owner, anchor_at)
    WHERE archived_reason IS NULL;
CREATE INDEX leads_by_owner_follow_up ON leads (org_id, owner, follow_up_at)
    WHERE archived_reason IS NULL;
-- The sweep: an organisation's aging leads in table order (batches of rowids).
CREATE INDEX leads_by_org ON leads (org_id) WHERE archived_reason IS NULL;
-- The lead bank: aging leads by how long they have been untouched.
CREATE INDEX leads_by_anchor ON leads (org_id, anchor_at) WHERE archived_reason IS NULL;
-- Scheduled leads of the organisation by date (calendar weeks and months).
CREATE INDEX leads_by_follow_up ON leads (org_id, follow_up_at) WHERE archived_reason IS NULL;
-- The archive, searched by name as one types.
CREATE INDEX leads_archived ON leads (org_id, name_key) WHERE archived_reason IS NOT NULL;
