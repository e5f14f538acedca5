import type { Article, ArticleVersion, KnownArticle, RawItem, RecheckState, Removal, RemovedArticle, RunReport, SourceState, SuspectVersion } from './model/index.js';
import type { IndexText } from './search/index.js';

/** Clock is injected so tests and the scheduler can control time. */
export interface Clock {
  now(): number;
}

/** Logger takes structured events; keys are the same across the codebase (source_id, url, code). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** HttpRequest is one polite GET. */
export interface HttpRequest {
  url: string;
  sourceId?: string;
  /** Validators from the previous response, for a conditional GET. */
  etag?: string;
  lastModified?: string;
  accept?: string;
  /** Extra request headers (e.g. Referer for hotlink-protected images). */
  headers?: Record<string, string>;
  /** Overrides the configured body cap for this request. */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** HttpResponse is a completed GET after redirects and decompression. */
export interface HttpResponse {
  /** The URL that finally answered (after redirects), without user info. */
  url: string;
  status: number;
  /** True on 304: `body` is empty and the caller keeps what it had. */
  notModified: boolean;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Uint8Array;
  etag?: string;
  lastModified?: string;
}

/** HttpClient fetches over the network; failures are NewsmirrorError with stage `fetch`. */
export interface HttpClient {
  get(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** ArticleListItem is the slice of an article that lists and indexes need. */
export interface ArticleListItem {
  id: string;
  sourceId: string;
  title: string;
  url: string;
  path: string;
  published: number;
  dateMissing: boolean;
}

/** EditListItem is one edit of an article (a version after the first), as the changes feed lists it. */
export interface EditListItem {
  articleId: string;
  sourceId: string;
  version: number;
  /** The title of this version. */
  title: string;
  /** When this version was first seen. */
  seenAt: number;
}

/** SourceSummary is per-source counts for the archive README and `status`. */
export interface SourceSummary {
  sourceId: string;
  articleCount: number;
  newestPublished?: number;
  articlesLast24h: number;
}

/** ArticleChange is one write of the sync: a new article, or a new version of a known one. */
export type ArticleChange =
  | { kind: 'new'; article: Article; raw: RawItem }
  | { kind: 'edit'; article: Article; raw: RawItem };

/**
 * SuspectChanges are the suspect-version writes of one sync (see SuspectVersion): the versions held
 * back, and the articles whose pending suspect versions a clean sight of their current version refutes.
 */
export interface SuspectChanges {
  /**
   * Stored as pending, dismissing the article's other pending ones (one pending suspect per article);
   * a version already stored (same article and content hash) only gets its `seenAt` raised and is pending again.
   */
  add: SuspectVersion[];
  /** Article ids whose pending suspect versions are dismissed (kept, no longer pending). */
  dismiss: string[];
}

/**
 * PendingFile is an article whose archive file is to be (re)written, and the mark that says so: every
 * change that marks the file (new, edit, updateBody) gives it a new `mark`, an opaque number.
 */
export interface PendingFile {
  id: string;
  mark: number;
}

/** VersionedSourceState is a source's stored state (absent when none is) and its version, raised by every save. */
export interface VersionedSourceState {
  state?: SourceState;
  version: number;
}

/**
 * Store is the system of record. Every implementation (SQLite, PostgreSQL) passes the one contract
 * suite in src/adapters/store/contract.
 */
export interface Store {
  getSourceState(sourceId: string): Promise<SourceState | undefined>;
  /** The source's state and the version it was read at (0 when none is stored), for a compare-and-set save. */
  readSourceState(sourceId: string): Promise<VersionedSourceState>;
  /**
   * Saves the source's state and raises its version. With `ifVersion`, a compare-and-set: the save
   * is refused (nothing written, false returned) unless the stored version is still that one, so a
   * worker whose lease ran out cannot overwrite the ETag or failure count a newer sync saved.
   */
  saveSourceState(state: SourceState, options?: { ifVersion: number }): Promise<boolean>;
  listSourceStates(): Promise<SourceState[]>;

  /** Known-article records (no body) of a source by identity key, with their newest pending suspect hash; keys not stored are absent from the map. */
  findByKeys(sourceId: string, keys: string[]): Promise<Map<string, KnownArticle>>;
  getArticle(id: string): Promise<Article | undefined>;
  /** Articles with these ids, in the order asked, in one query; ids not stored are left out. */
  getArticles(ids: string[]): Promise<Article[]>;
  /** Every version of an article, oldest first (the current one last). */
  listVersions(articleId: string): Promise<ArticleVersion[]>;
  getRaw(articleId: string): Promise<RawItem | undefined>;
  /** Number of article paths already allocated under a folder (for the 1,000-entries cap). */
  countPathsUnder(folder: string): Promise<number>;

  /**
   * Applies a batch of changes atomically: all of them or none. Every changed article is marked as
   * having its archive file pending until markFilesWritten, so a run killed between the database
   * commit and the file writes is completed by the next one. With `seen`, those articles are also
   * marked as still present (as touchSeen does) in the same transaction: one sync, one commit.
   * With `suspects`, the suspect versions are written in the same transaction too; they never change
   * an article's current version and never mark its file pending. An `edit` settles the article's
   * pending suspect versions: the one with the edit's content hash is promoted, the others dismissed.
   */
  applyChanges(changes: ArticleChange[], seen?: { articleIds: string[]; at: number }, suspects?: SuspectChanges): Promise<void>;
  /** Pending suspect versions (of one source, or all), by source, article and time seen. */
  listSuspects(sourceId?: string): Promise<SuspectVersion[]>;
  /** Articles whose archive file still has to be (re)written, with their marks, optionally for one source. */
  listPendingFiles(sourceId?: string): Promise<PendingFile[]>;
  /**
   * Clears the pending marks once the files are safely on disk: each only if it is still the mark
   * listed, so a change committed after the listing (by this process or another) stays pending.
   */
  markFilesWritten(files: PendingFile[]): Promise<void>;
  /** Marks articles as still present in the feed (no new version). */
  touchSeen(articleIds: string[], seenAt: number): Promise<void>;
  /** Replaces the cleaned body of the current version (re-clean, media rewrite); not an edit. Marks the file pending. */
  updateBody(articleId: string, bodyHtml: string, method: string): Promise<void>;
  /** Replaces the title and column of the current version (new title rules); not an edit. Marks the file pending. */
  updateTitle(articleId: string, title: string, column: string | undefined): Promise<void>;

  /**
   * Articles of a source, newest first (published desc, then id). `from` is inclusive and `to` and
   * `before` exclusive bounds on `published`; no limit means all.
   */
  listArticles(sourceId: string, options?: { limit?: number; before?: number; from?: number; to?: number }): Promise<ArticleListItem[]>;
  /**
   * Newest articles across sources (all, or those in `sourceIds`), newest first (published desc, then
   * id), for the web reader and the republished feeds. `after` is a keyset cursor: the last item of
   * the previous page, so ties on `published` never skip or repeat an article. `from` inclusive, `to` exclusive.
   */
  listRecentArticles(options: {
    sourceIds?: string[];
    from?: number;
    to?: number;
    after?: { published: number; id: string };
    limit: number;
  }): Promise<ArticleListItem[]>;
  /**
   * Edits across sources (all, or those in `sourceIds`): versions after the first, newest first (seen
   * desc, then article id, then version desc), for the changes feed.
   */
  listRecentEdits(options: { sourceIds?: string[]; limit: number }): Promise<EditListItem[]>;
  /** The months (`YYYY-MM`, newest first) that hold articles of a source, read from the article paths. */
  listPathMonths(sourceId: string): Promise<string[]>;
  /**
   * Every article id of a source (or all), newest published first, for re-clean, reindex and rebuild
   * checks: a reindex interrupted, or still running after an upgrade emptied the search, has the
   * articles readers look for first.
   */
  listArticleIds(sourceId?: string): Promise<string[]>;
  summarizeSources(now: number): Promise<SourceSummary[]>;

  saveRunReport(report: RunReport): Promise<void>;
  lastRunReport(): Promise<RunReport | undefined>;

  /** Deletes every article, version, suspect version and raw item (rebuild starts from this). */
  clearArticles(): Promise<void>;
  close(): Promise<void>;
}

/** LeaseClaim asks for due sources to fetch; see SourceLeases.claim. */
export interface LeaseClaim {
  /** Who holds the leases (one id per worker process). */
  owner: string;
  /** The configured sources to choose from; their missing state rows are created. */
  sourceIds: string[];
  /** Sources whose next check is at or before this time (the pipeline's clock) are due. */
  dueAt: number;
  /** With it, every source not claimed since this time (the leases' clock, see `now`) is due instead. */
  notClaimedSince?: number;
  /** At most this many sources are claimed. */
  limit: number;
  leaseMs: number;
  /**
   * The owner's leases on these sources end first, as `release` ends them (those of finished syncs:
   * a worker claims after each one, so the release needs no statement of its own). This claim
   * does not take them again.
   */
  release?: string[];
}

/** LeaseClaimResult is what a claim took, and how many due sources other live leases hold. */
export interface LeaseClaimResult {
  claimed: string[];
  /** Due sources leased by another owner whose lease has not expired: they may come free later. */
  busy: number;
}

/**
 * SourceLeases hands due sources to workers, one worker per source at a time: a claim leases rows
 * of the sources table until an expiry, renewed while a long sync runs and released at its end. A
 * killed worker's leases expire and another worker claims the sources. Lease times are the
 * database's clock (`now`), never the pipeline's: that one may be fixed (NEWSMIRROR_CLOCK) and
 * machines' clocks differ.
 */
export interface SourceLeases {
  /** The leases' clock, epoch ms. */
  now(): Promise<number>;
  claim(request: LeaseClaim): Promise<LeaseClaimResult>;
  /** Extends the owner's leases on these sources; returns the sources it still held. */
  renew(owner: string, sourceIds: string[], leaseMs: number): Promise<string[]>;
  /** Ends the owner's leases on these sources (leases another owner holds are left alone). */
  release(owner: string, sourceIds: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * WorkKind names what a work lease is on: an article's re-check, an article's missing images, or
 * one image's download (keyed by the sha256 of its URL: an image shown by articles of several workers).
 */
export type WorkKind = 'recheck' | 'images' | 'image';

/** WorkClaim asks for leases on some items of one kind, for one owner. */
export interface WorkClaim {
  kind: WorkKind;
  owner: string;
  /** The items (article ids; image URL hashes) wanted, in the order they should be taken. */
  keys: string[];
  leaseMs: number;
  /**
   * Refuse an item another owner claimed or released at or after this time (the leases' clock, from
   * `now`): that owner was still doing the item when this caller listed it as due.
   */
  notClaimedSince?: number;
}

/**
 * WorkLeases shares per-item work between workers (docs/decisions.md D30), as SourceLeases shares
 * the sources: an item is leased by one owner at a time, a lease expires after `leaseMs`, and lease
 * times are the database's clock (this machine's on SQLite).
 */
export interface WorkLeases {
  /** The leases' clock, epoch ms. */
  now(): Promise<number>;
  /** Leases the items no other owner holds (own leases are extended); returns those this owner now holds, sorted. */
  claim(request: WorkClaim): Promise<string[]>;
  /** Ends the owner's leases on these items, stamping the time (another owner's are left alone). */
  release(kind: WorkKind, owner: string, keys: string[]): Promise<void>;
  close(): Promise<void>;
}

/** WorkerLeases are one worker's per-item leases: the port, the owner it claims as and the lease length. */
export interface WorkerLeases {
  work: WorkLeases;
  owner: string;
  leaseMs: number;
}

/**
 * ArchiveLeadership makes one process the archive's writer: `acquire` tries at once, then waits until
 * this process holds the leadership (or `signal` aborts, then false), so an aborted signal makes it a
 * single try; it ends when the process dies or `close`.
 */
export interface ArchiveLeadership {
  acquire(signal?: AbortSignal): Promise<boolean>;
  /** Whether this process still holds the leadership (a dropped database connection loses it). */
  held(): Promise<boolean>;
  close(): Promise<void>;
}

/** ArchiveWriter writes files below the archive root, atomically, only when content changes. */
export interface ArchiveWriter {
  /** Returns true when the file was (re)written, false when it already had this content. */
  write(relativePath: string, content: string | Uint8Array): Promise<boolean>;
  read(relativePath: string): Promise<string | undefined>;
  /** Every file below a folder, archive-relative, sorted. */
  list(relativeFolder: string): Promise<string[]>;
}

/** ImageMirrorInput is one stored article whose images are to be mirrored. */
export interface ImageMirrorInput {
  sourceId: string;
  articleId: string;
  /** Archive-relative path of the article file; links are computed relative to it. */
  articlePath: string;
  /** Sanitized body HTML with absolute image URLs. */
  html: string;
  enclosures?: { url: string; type?: string }[];
  leadImage?: string;
  /** Referer sent with every image request of this source (hotlink-protected hosts). */
  referer?: string;
  /** Stops the work: images not fetched by then stay missing, due again on the next run. */
  signal?: AbortSignal;
}

/** MirroredImage is one image available locally: its original URL and its archive-relative media path. */
export interface MirroredImage {
  url: string;
  path: string;
}

/** ImageMirrorResult is an article body after mirroring, and what happened to each image. */
export interface ImageMirrorResult {
  /** The body with every mirrored image pointing to its local copy; unchanged when none was. */
  html: string;
  /** Images still missing, by their preferred URL; each keeps its original URL in the body. */
  failed: { url: string; code: string; message: string }[];
  /** Images of the article available locally (downloaded now or earlier). */
  mirrored: number;
  /** Bytes downloaded by this call (images already stored cost nothing). */
  bytes: number;
  /** Every mirrored image, including enclosures and the lead image, which the body may not show. */
  images: MirroredImage[];
}

/**
 * ImageMirror downloads an article's images into the archive and points the body at the copies
 * (src/adapters/media). It never throws for an image: failures keep the original URL and are retried.
 */
export interface ImageMirror {
  /**
   * mirrorArticleImages stores every image of the article that can be fetched and rewrites the
   * body to point at them. Failures are returned, recorded, and retried with backoff by a later
   * call for the same article (see retryPending).
   */
  mirrorArticleImages(input: ImageMirrorInput): Promise<ImageMirrorResult>;
  /**
   * recordPending records the article's images not mirrored yet as missing and due now, before any
   * is fetched, so that a run stopped or killed before they arrive retries them. Returns how many
   * images the article names.
   */
  recordPending(input: ImageMirrorInput): Promise<number>;
  /** Ids of articles with a missing image whose next attempt is due. */
  retryPending(now: number): Promise<string[]>;
  /** Images still missing per source. */
  missingImagesBySource(): Promise<Map<string, number>>;
}

/** ImageDrainReport is what one drain of the image queue did. */
export interface ImageDrainReport {
  /** Per source: images of the drained articles now local, and those still missing (retried on a later run). */
  bySource: Map<string, { mirrored: number; missing: number }>;
  /** Hosts whose breaker opened (they stopped answering; their images wait for a later run), with the sources they serve. */
  openHosts: { host: string; failures: number; sourceIds: string[] }[];
  /** Images not tried because the deadline or the signal stopped the drain; due again on the next run. */
  deferred: number;
  /** Articles whose images could not be handled at all (the media state or the store failed). */
  failed: { sourceId: string; articleId: string; message: string }[];
}

/**
 * ImageQueue takes image downloads off the text's critical path: an article's file is written
 * when its text is stored, its images are queued, and a drain fetches them (bounded per host and in
 * all, with a breaker per host) and hands each finished article back so its body can point at the
 * copies. Today an in-process queue (src/adapters/media); with many workers, jobs claimed from the store.
 */
export interface ImageQueue {
  /** enqueue queues an article's images and records them as missing until they arrive. */
  enqueue(input: ImageMirrorInput): Promise<void>;
  /**
   * drain fetches every queued article's images until done, the queue's deadline or `signal`;
   * `onArticle` gets each finished article, mirrored images or not. The breakers
   * close again when it returns: a host is skipped for one run only.
   */
  drain(options: { signal?: AbortSignal; onArticle(input: ImageMirrorInput, result: ImageMirrorResult): Promise<void> }): Promise<ImageDrainReport>;
}

/** MediaFailure is why the last attempt at an image failed: a stable code and a one-line message. */
export interface MediaFailure {
  code: string;
  message: string;
}

/** MediaItemState is the retry bookkeeping of one image URL. */
export interface MediaItemState {
  url: string;
  /** Archive-relative media path once the image is mirrored (`media/ab/ab12….jpg`). */
  path?: string;
  /** Size of the stored file, checked before a stored copy is trusted. */
  bytes?: number;
  /** Failed attempts since the last success (0 once mirrored). */
  attempts: number;
  /** When to try again (epoch ms); absent on a failed item means it was given up. */
  nextAttemptAt?: number;
  lastError?: MediaFailure;
  updatedAt: number;
}

/**
 * MediaStateStore keeps, per image URL, whether it is mirrored or when to try it again, and, per
 * article, which of its images are still missing. Asynchronous so that a PostgreSQL store fits too.
 */
export interface MediaStateStore {
  /** The known items among `urls`; unknown URLs are absent from the map. */
  getItems(urls: string[]): Promise<Map<string, MediaItemState>>;
  /** Inserts or replaces items by URL. */
  saveItems(items: MediaItemState[]): Promise<void>;
  /** Replaces the set of images an article still lacks (an empty list clears it). */
  setArticleMissing(articleId: string, sourceId: string, urls: string[]): Promise<void>;
  /** Ids of articles lacking an image whose next attempt is due at `now`, sorted. */
  dueArticles(now: number): Promise<string[]>;
  /** Missing images per source, counted per article and image (for `status`). */
  missingBySource(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** SearchQuery is one full-text search: Chinese substring semantics, filters, order and a page. */
export interface SearchQuery {
  /** The user's query: words, "quoted phrases", Chinese of any length, mixed with Latin words. */
  q: string;
  sourceIds?: string[];
  /** Inclusive / exclusive bounds on `published`, epoch ms. */
  from?: number;
  to?: number;
  order: 'newest' | 'relevance';
  limit: number;
  /** Opaque cursor from a previous result's `next`. */
  cursor?: string;
}

/** SearchHit is one matching article. `snippet` is HTML: escaped text with matches in <mark>. */
export interface SearchHit {
  id: string;
  sourceId: string;
  title: string;
  url: string;
  published: number;
  snippet: string;
}

/** SearchResult is a page of hits, the total number of matching articles and the next page's cursor. */
export interface SearchResult {
  total: number;
  hits: SearchHit[];
  next?: string;
}

/** IndexedArticle is what a search index reads of an article; an Article is one. */
export type IndexedArticle = Pick<Article, 'id' | 'sourceId' | 'published' | 'title' | 'url' | 'bodyHtml'>;

/**
 * SearchIndex is the full-text index over articles. Bad queries or cursors are NewsmirrorError with
 * code 'usage' (the web layer answers 400), never a crash.
 */
export interface SearchIndex {
  /**
   * Adds or replaces these articles in the index. `texts[i]`, when given, is `indexTextOf(articles[i])`
   * computed elsewhere (an import computes it on its cleaning thread): an index that can use it
   * tokenizes nothing of that article itself; without it, or where it is undefined, the index does.
   */
  index(articles: IndexedArticle[], texts?: readonly (IndexText | undefined)[]): Promise<void>;
  remove(articleIds: string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  close(): Promise<void>;
}

/** PendingBlob is a stored image whose file the archiver still has to write, and the mark that says so. */
export interface PendingBlob {
  /** Media path, `media/ab/<sha256>.<ext>`. */
  path: string;
  /** Raised by every put of the path, so clearing the mark listed never clears a later put. */
  mark: number;
}

/**
 * MediaBlobs keeps image bytes in the store, content-addressed by their media path, for workers that
 * must not write a local disk: the archiver writes each pending blob to the archive's media folder
 * (flushMediaBlobs in src/adapters/media) and clears its mark, which releases the bytes: from then on
 * the archive's file is their one copy, as it is for a single-process sync, and the row keeps the
 * path and size so a worker still knows the image is mirrored. Implemented on SQLite and PostgreSQL,
 * one contract suite (src/adapters/media/contract).
 */
export interface MediaBlobs {
  /**
   * put stores `bytes` under `path` and marks the blob pending with a new mark. A second put of a
   * pending path keeps the bytes (the path names their hash) and only marks it again; a put of a
   * written-out path stores them again, so the archiver writes the file again.
   * Bytes whose sha256 is not the one the path names are refused with a `store` error.
   */
  put(path: string, bytes: Uint8Array): Promise<void>;
  /** read returns a pending blob's bytes, or undefined for a path never put or already written out. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** size returns the stored byte count (without reading the bytes), or undefined for a path never put. */
  size(path: string): Promise<number | undefined>;
  /** listPending returns up to `limit` pending blobs, by path. */
  listPending(limit: number): Promise<PendingBlob[]>;
  /**
   * markWritten clears each listed mark if it is still the blob's mark and releases that blob's bytes
   * (a later put stays pending and keeps them). Call it only once the files are durable.
   */
  markWritten(items: PendingBlob[]): Promise<void>;
  close(): Promise<void>;
}

/** StoreValue is one column value of a store table in the form both engines share (JSON as its text). */
export type StoreValue = string | number | boolean | null | Uint8Array;

/** StoreRow is one row of a store table: its values in the order of the table's columns. */
export type StoreRow = StoreValue[];

/** StoreColumnKind is how a column's values are kept, whatever each engine's own type for it. */
export type StoreColumnKind = 'text' | 'int' | 'bool' | 'json' | 'bytes';

/** StoreTable describes one table of the store for a whole-store copy (src/adapters/store/tables.ts lists them). */
export interface StoreTable {
  name: string;
  columns: readonly { name: string; kind: StoreColumnKind }[];
  /** The primary key's columns. */
  key: readonly string[];
  /**
   * The order rows are read and must be written in: by key, or by insertion where the order of
   * insertion means something (run reports that started at the same time: SQLite's rowid,
   * PostgreSQL's `saved`).
   */
  order: 'key' | 'insertion';
  /** Rows per batch when read (a few for tables of large rows, so memory stays bounded). */
  batch: number;
}

/**
 * StoreTables reads and writes the store's tables row by row, every column as it is kept, for
 * `migrate-store` (a faithful copy between SQLite and PostgreSQL, pending marks and all). Both
 * engines pass one contract suite (src/adapters/store/contract).
 */
export interface StoreTables {
  /** The tables of the database and their columns (migration bookkeeping and the search index left out). */
  describe(): Promise<Map<string, string[]>>;
  /**
   * read runs `work` over one consistent snapshot of the database: `rows` yields a table's rows in
   * batches, in the table's order.
   */
  read<T>(work: (rows: (table: StoreTable) => AsyncIterable<StoreRow[]>) => Promise<T>): Promise<T>;
  /** write runs `work` in one transaction: every row it puts, or none if it throws. */
  write<T>(work: (put: (table: StoreTable, rows: StoreRow[]) => Promise<void>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** RecheckQuery selects the articles a re-check pass takes (see RecheckStore.listDue). */
export interface RecheckQuery {
  now: number;
  firstCheckAfterMs: number;
  lastCheckAfterMs: number;
  sourceIds?: string[];
  notCheckedSince?: number;
  limit: number;
}

/** RecheckTarget is an article whose page is due for a re-check, with its bookkeeping so far. */
export interface RecheckTarget {
  articleId: string;
  sourceId: string;
  firstSeen: number;
  state?: RecheckState;
  /** The article's removal that is not withdrawn, confirmed or not. */
  removal?: Removal;
}

/** FeedPresence is an article of a source as the feed last showed it: when it was last in the feed, and published. */
export interface FeedPresence {
  articleId: string;
  published: number;
  lastSeen: number;
  lastCheckAt?: number;
  earlyFor?: number;
}

/** CheckRecord is what one re-check writes: the article's new state and, when it changed, its removal. */
export interface CheckRecord {
  state: RecheckState;
  /** Inserted or replaced by (article, firstGoneAt). */
  removal?: Removal;
  /** True when the article's file must be rewritten (a removal confirmed or withdrawn). */
  markFile: boolean;
}

/**
 * RecheckStore keeps the re-check schedule and the removals of archived articles, in the store's
 * database (own tables, same connection setup). Every implementation passes the one contract suite
 * in src/adapters/store/contract/recheck-contract.ts.
 */
export interface RecheckStore {
  /**
   * Articles due at `now`: a stored `nextCheckAt` at or before it, or, for an article never re-checked,
   * `firstSeen + firstCheckAfterMs` while `firstSeen + lastCheckAfterMs` is still ahead (an article
   * archived before re-checks existed, or restored by a rebuild, whose schedule is over is not due).
   * With `notCheckedSince`, every article whose page was not fetched since then instead. Oldest due
   * first; optionally of some sources only.
   */
  listDue(query: RecheckQuery): Promise<RecheckTarget[]>;
  /** The source's last successful sync and its `limit` articles seen last in the feed up to then, latest first. */
  listPresence(sourceId: string, limit: number): Promise<{ lastSyncAt?: number; articles: FeedPresence[] }>;
  /** Makes these articles due at `at` (sooner if already due), recording the `lastSeen` the early check is for. */
  requestEarly(items: { articleId: string; sourceId: string; at: number; earlyFor: number }[]): Promise<void>;
  /** Saves one check in one transaction; with `markFile`, the article's file is marked pending as an edit marks it. */
  saveCheck(record: CheckRecord): Promise<void>;
  /** Confirmed, standing removals of these articles, by id. */
  getRemovals(articleIds: string[]): Promise<Map<string, Removal>>;
  /** Confirmed, standing removals, newest confirmation first, with their articles. `before` is the previous page's last item. */
  listRemoved(options: { limit: number; sourceIds?: string[]; before?: { confirmedAt: number; articleId: string } }): Promise<RemovedArticle[]>;
  /** Every removal of an article (withdrawn ones too), oldest first. */
  listRemovalHistory(articleId: string): Promise<Removal[]>;
  /** Confirmed, standing removals per source. */
  countRemoved(): Promise<Map<string, number>>;
  close(): Promise<void>;
}
