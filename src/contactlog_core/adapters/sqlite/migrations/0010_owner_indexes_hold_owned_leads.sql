-- The owner indexes hold only leads that someone owns, and the follow-up one
-- only leads with a follow-up.
--
-- They answer one person's views: ``owner = ?`` (and, for Scheduled,
-- ``follow_up_at > ?``) imply ``IS NOT NULL``, so SQLite still reads them
-- there. Leads in the lead bank have no owner, and leads never scheduled have
-- no follow-up; no view ever read them through these indexes, yet each lead
-- the sweep moved to the lead bank took a new entry in both, besides losing
-- its old ones: an insert in the run of ownerless leads, batch after batch.
-- Now the sweep only deletes, and the indexes no longer grow with the lead
-- bank.
DROP INDEX leads_by_owner_anchor;
CREATE INDEX leads_by_owner_anchor ON leads (org_id, owner, anchor_at)
    WHERE archived_reason IS NULL AND owner IS NOT NULL;
DROP INDEX leads_by_owner_follow_up;
CREATE INDEX leads_by_owner_follow_up ON leads (org_id, owner, follow_up_at)
    WHERE archived_reason IS NULL AND owner IS NOT NULL AND follow_up_at IS NOT NULL;
