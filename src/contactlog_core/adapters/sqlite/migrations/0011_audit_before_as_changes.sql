-- An event's "before" may be kept as what differs from its "after".
--
-- Most events change a few fields of a record: a claim its owner, status and
-- version; a sweep a lead's status, version and time. Yet each stored both
-- snapshots whole, so the trail grew by twice the record for every change,
-- and the lead sweep wrote as many bytes of "before" as of everything else.
-- Now such an event keeps ``before`` NULL and ``before_changes``: a JSON
-- object of the fields whose values differ, in the record's field order. The
-- snapshot is ``after`` with those fields set back, as the store reads it.
--
-- Events written before this migration keep their whole ``before``; so does
-- any event whose snapshots do not hold the same fields.
ALTER TABLE audit_events ADD COLUMN before_changes TEXT
    CHECK (before_changes IS NULL OR (before IS NULL AND after IS NOT NULL));
