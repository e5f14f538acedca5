-- Media retry state (the MediaStateStore port), the same tables as src/adapters/media/sqlite-state.ts.

CREATE TABLE media_items (
  url text COLLATE "C" PRIMARY KEY,
  path text,
  bytes bigint,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  last_error_code text,
  last_error text,
  updated_at bigint NOT NULL
);
CREATE INDEX media_items_due ON media_items (next_attempt_at) WHERE path IS NULL;

CREATE TABLE media_missing (
  article_id text COLLATE "C" NOT NULL,
  source_id text COLLATE "C" NOT NULL,
  url text COLLATE "C" NOT NULL,
  PRIMARY KEY (article_id, url)
);
CREATE INDEX media_missing_url ON media_missing (url);
CREATE INDEX media_missing_source ON media_missing (source_id);
