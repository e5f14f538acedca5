/**
 * Schema migrations of the SQLite store, oldest first. A migration is never edited once released:
 * a schema change is a new entry at the end. `schema_migrations` records which ones a file has.
 *
 * Tables are STRICT so a wrong type is an error instead of a silently coerced value. Times are epoch
 * ms (INTEGER); authors and categories are JSON arrays (TEXT).
 *
 * The current body lives only in its `article_versions` row, not in `articles`: SQLite rewrites a
 * whole row on UPDATE, overflow pages included, so keeping bodies out of `articles` makes the
 * per-sync `last_seen` updates cheap (measured: 15,000 touches 965 ms with bodies inline).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    source_id TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_error_code TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_check_at INTEGER,
    guid_policy TEXT CHECK (guid_policy IN ('url', 'guid'))
  ) STRICT;

  CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    key TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    guid TEXT,
    title TEXT NOT NULL,
    published INTEGER NOT NULL,
    date_missing INTEGER NOT NULL,
    updated INTEGER,
    first_seen INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    path TEXT NOT NULL UNIQUE,
    path_month TEXT,
    method TEXT NOT NULL,
    authors TEXT NOT NULL,
    categories TEXT NOT NULL,
    last_seen INTEGER NOT NULL,
    file_pending INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source_id, key)
  ) STRICT;
  CREATE INDEX articles_by_source_published ON articles (source_id, published DESC, id);
  CREATE INDEX articles_by_source_month ON articles (source_id, path_month);
  CREATE INDEX articles_pending_files ON articles (source_id, published) WHERE file_pending = 1;

  CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, version)
  ) STRICT;

  CREATE TABLE raw_items (
    article_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    entry_json TEXT NOT NULL,
    fetched_from TEXT NOT NULL,
    PRIMARY KEY (article_id, version),
    FOREIGN KEY (article_id, version) REFERENCES article_versions (article_id, version) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE run_reports (
    id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    json TEXT NOT NULL
  ) STRICT;
  CREATE INDEX run_reports_by_start ON run_reports (started_at);
  `,
  // The web reader's home page and the `all` feeds list the newest articles across every source.
  `
  CREATE INDEX articles_by_published ON articles (published DESC, id);
  `,
  // Versions a degraded feed may have produced, held back from the article (see SuspectVersion).
  // Never deleted by a sync: a promoted or dismissed one stays as a record of what was served.
  `
  CREATE TABLE suspect_versions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    source_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('shorter', 'empty', 'recovered')),
    seen_at INTEGER NOT NULL,
    entry_json TEXT NOT NULL,
    fetched_from TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'promoted', 'dismissed')),
    PRIMARY KEY (article_id, content_hash)
  ) STRICT;
  CREATE INDEX suspect_versions_pending ON suspect_versions (source_id, article_id, seen_at) WHERE state = 'pending';
  `,
  // A pending mark carries a number that every marking raises: clearing the mark listed leaves a
  // change committed after the listing pending (two writers, or a body update during a flush).
  `
  ALTER TABLE articles ADD COLUMN file_mark INTEGER NOT NULL DEFAULT 1;
  `,
  // Title rules move a site's column name (RFI's ` - 美国专栏`) out of the title into the metadata.
  `
  ALTER TABLE articles ADD COLUMN column_name TEXT;
  `,
  // Image bytes of the workers (the MediaBlobs port): content-addressed by media path, pending until
  // the archiver writes them to the archive's media folder; `mark` works as the articles' file_mark.
  `
  CREATE TABLE media_blobs (
    path TEXT PRIMARY KEY,
    bytes BLOB NOT NULL,
    size INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 1,
    mark INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX media_blobs_pending ON media_blobs (path) WHERE pending = 1;
  `,
  // Re-checks of archived pages and the removals they find (src/adapters/store/sqlite/recheck.ts).
  // Both cascade with their article: a rebuild clears articles and restores removals from the files.
  `
  CREATE TABLE recheck_state (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    next_check_at INTEGER,
    last_check_at INTEGER,
    last_status INTEGER,
    last_outcome TEXT CHECK (last_outcome IN ('unchanged', 'edited', 'suspect', 'gone', 'unreachable')),
    etag TEXT,
    last_modified TEXT,
    page_hash TEXT,
    gone_checks INTEGER NOT NULL DEFAULT 0,
    early_for INTEGER
  ) STRICT;
  CREATE INDEX recheck_state_due ON recheck_state (next_check_at) WHERE next_check_at IS NOT NULL;
  CREATE TABLE removals (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id TEXT NOT NULL,
    first_gone_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    withdrawn_at INTEGER,
    evidence TEXT NOT NULL,
    PRIMARY KEY (article_id, first_gone_at)
  ) STRICT;
  CREATE INDEX removals_standing ON removals (confirmed_at DESC, article_id) WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL;
  `,
  // The changes feed lists the newest edits (versions after the first) across every article; without
  // this index that is a scan of every version's body.
  `
  CREATE INDEX article_versions_edits ON article_versions (seen_at DESC, article_id, version DESC) WHERE version > 1;
  `,
  // Workers on one file: a version for the state's compare-and-set save, and a lease per source
  // (owner and expiry) so one worker fetches a source at a time (see core/ports.ts SourceLeases).
  `
  ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sources ADD COLUMN lease_owner TEXT;
  ALTER TABLE sources ADD COLUMN lease_until INTEGER;
  ALTER TABLE sources ADD COLUMN claimed_at INTEGER;
  `,
  // Leases on per-item work any worker may do (an article's re-check, its missing images): see
  // core/ports.ts WorkLeases. Rows are kept after a release; `claimed_at` is the last claim or release.
  `
  CREATE TABLE work_leases (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
  ) STRICT;
  `,
  // The archiver now releases a blob's bytes once it has written its file (D20): the archive's file is
  // their one copy, as after a single-process sync. Blobs written before this were kept; release them.
  `
  UPDATE media_blobs SET bytes = X'' WHERE pending = 0;
  `,
];
