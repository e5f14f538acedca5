-- The changes feed lists the newest edits (versions after the first) across every article
-- (the same index as SQLite's migration 8).
CREATE INDEX article_versions_edits ON article_versions (seen_at DESC, article_id, version DESC) WHERE version > 1;
