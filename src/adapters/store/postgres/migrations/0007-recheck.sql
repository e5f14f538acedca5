-- Re-checks of archived pages and the removals they find (the same tables as SQLite's migration 7,
-- adapters/store/postgres/recheck.ts). Both cascade with their article: a rebuild clears articles
-- and restores removals from the files.
CREATE TABLE recheck_state (
  article_id text COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
  source_id text COLLATE "C" NOT NULL,
  next_check_at bigint,
  last_check_at bigint,
  last_status integer,
  last_outcome text CHECK (last_outcome IN ('unchanged', 'edited', 'suspect', 'gone', 'unreachable')),
  etag text,
  last_modified text,
  page_hash text,
  gone_checks integer NOT NULL DEFAULT 0,
  early_for bigint
);
CREATE INDEX recheck_state_due ON recheck_state (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TABLE removals (
  article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  source_id text COLLATE "C" NOT NULL,
  first_gone_at bigint NOT NULL,
  confirmed_at bigint,
  withdrawn_at bigint,
  evidence text NOT NULL,
  PRIMARY KEY (article_id, first_gone_at)
);
CREATE INDEX removals_standing ON removals (confirmed_at DESC, article_id) WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL;
