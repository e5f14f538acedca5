-- The store's tables, the same as SQLite's (src/adapters/store/sqlite/migrations.ts, its migrations 1 to 3)
-- in PostgreSQL's types. Times are epoch ms (bigint). Ids, keys, source ids and paths compare
-- byte-wise (COLLATE "C"), as in SQLite, whatever the database's locale: keyset pages, `ORDER BY id`
-- and the path ranges of countPathsUnder depend on it.

CREATE TABLE sources (
  source_id text COLLATE "C" PRIMARY KEY,
  etag text,
  last_modified text,
  last_attempt_at bigint,
  last_success_at bigint,
  last_error_code text,
  last_error text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  next_check_at bigint,
  guid_policy text CHECK (guid_policy IN ('url', 'guid'))
);

-- A pending file is `file_pending`; `file_mark` is raised by every marking, so a writer clears only
-- the mark it listed and a change committed meanwhile stays pending.
CREATE TABLE articles (
  id text COLLATE "C" PRIMARY KEY,
  source_id text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  url text NOT NULL,
  canonical_url text NOT NULL,
  guid text,
  title text NOT NULL,
  published bigint NOT NULL,
  date_missing boolean NOT NULL,
  updated bigint,
  first_seen bigint NOT NULL,
  content_hash text NOT NULL,
  version integer NOT NULL,
  path text COLLATE "C" NOT NULL UNIQUE,
  path_month text COLLATE "C",
  method text NOT NULL,
  authors jsonb NOT NULL,
  categories jsonb NOT NULL,
  last_seen bigint NOT NULL,
  file_pending boolean NOT NULL DEFAULT true,
  file_mark integer NOT NULL DEFAULT 1,
  UNIQUE (source_id, key)
);
CREATE INDEX articles_by_source_published ON articles (source_id, published DESC, id);
CREATE INDEX articles_by_published ON articles (published DESC, id);
CREATE INDEX articles_by_source_month ON articles (source_id, path_month);
CREATE INDEX articles_pending_files ON articles (source_id, published) WHERE file_pending;

-- The current body lives in its version row only, as in SQLite: the per-sync last_seen updates
-- then rewrite small rows (PostgreSQL writes a new row version on every UPDATE).
CREATE TABLE article_versions (
  article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  version integer NOT NULL,
  title text NOT NULL,
  body_html text NOT NULL,
  content_hash text NOT NULL,
  seen_at bigint NOT NULL,
  PRIMARY KEY (article_id, version)
);

CREATE TABLE raw_items (
  article_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  entry_json text NOT NULL,
  fetched_from text NOT NULL,
  PRIMARY KEY (article_id, version),
  FOREIGN KEY (article_id, version) REFERENCES article_versions (article_id, version) ON DELETE CASCADE
);

-- `saved` orders reports that started at the same time, as SQLite's rowid does.
CREATE TABLE run_reports (
  id text COLLATE "C" PRIMARY KEY,
  saved bigint GENERATED ALWAYS AS IDENTITY,
  started_at bigint NOT NULL,
  finished_at bigint NOT NULL,
  json text NOT NULL
);
CREATE INDEX run_reports_by_start ON run_reports (started_at DESC, saved DESC);
