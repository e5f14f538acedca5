-- Versions a degraded feed may have produced, held back from the article (the SuspectVersion of the
-- core; the same table as SQLite's migration 3). Never deleted by a sync: a promoted or dismissed one
-- stays as a record of what was served.
CREATE TABLE suspect_versions (
  article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  content_hash text COLLATE "C" NOT NULL,
  source_id text COLLATE "C" NOT NULL,
  title text NOT NULL,
  body_html text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('shorter', 'empty', 'recovered')),
  seen_at bigint NOT NULL,
  entry_json text NOT NULL,
  fetched_from text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'promoted', 'dismissed')),
  PRIMARY KEY (article_id, content_hash)
);
CREATE INDEX suspect_versions_pending ON suspect_versions (source_id, article_id, seen_at) WHERE state = 'pending';
