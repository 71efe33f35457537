-- A staff member's own outstanding follow-ups (assigned or forwarded to them) found
-- through small partial indexes instead of every open follow-up of the organisation.

CREATE INDEX follow_ups_open_by_assignee ON follow_ups (org_id, assigned_to) WHERE open = 1;
CREATE INDEX follow_ups_open_by_forward ON follow_ups (org_id, forward_to) WHERE open = 1;
