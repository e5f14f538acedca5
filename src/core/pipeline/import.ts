/**
 * Adopting a duty-machine archive from its git history: every version of every article file, read
 * commit by commit (oldest first), becomes what a feed would have given newsmirror at that commit's
 * time. Each commit goes through the sync's own stages (identity, plan, store, files), so identity is
 * newsmirror's (the canonical link, never the reused old file id), a changed body is a new version,
 * first seen is the commit time of the first appearance, and the raw old body is the raw item.
 * The store and file stages take many commits at once (a batch, see STORE_BATCH_CHANGES); each
 * commit is still planned against the store as if the commits before it were stored.
 *
 * Memory does not grow with the history: what the report counts over the whole walk (distinct
 * articles, their old paths, HEAD's share) is kept in an ImportTally (on disk), the report's lists
 * are bounded (REPORT_LISTED), a batch holds only its own articles and files are written a read at
 * a time.
 *
 * Re-running adds nothing and an interrupted import resumes by walking again: a version already
 * stored (same content at the same commit time, the article's current content, or its held-back
 * suspect version's) is skipped. An edit goes through the sync's suspect check: a version whose
 * text is empty or shrunk against the current one is stored as a suspect version, never current.
 */
import type { Article, Entry, KnownArticle, Source } from '../model/index.js';
import type { ArticleChange, SuspectChanges } from '../ports.js';
import { planIdentity, type EntryIdentity, type IdentifiedEntry } from '../identity/index.js';
import {
  JEKYLL_UNCATEGORIZED, isJekyllPostPath, jekyllCategory, parseDutyMachinePath, readDutyMachineFile,
  type ArchiveHistory, type BodyCleaner, type CleanedBody, type CleanRequest, type HistoryCommit, type ImportTally, type IndexBeside, type UnreadableReason,
} from '../import/index.js';
import { monthOfArticlePath, renderArticleFile } from '../render/index.js';
import type { IndexText } from '../search/index.js';
import { writeWindow } from '../concurrency.js';
import { ARTICLES_PER_READ, type PipelineDeps } from './deps.js';
import { versionFiles, writeSourceLists } from './apply.js';
import { queueImages, drainImages } from './media.js';
import { newArticleFolders, planChanges, type CurrentVersion } from './plan.js';

/** ImportOptions says what to import into which sources. */
export interface ImportOptions {
  /** Configured sources; a folder mapped to an id that is not among them is reported, not imported. */
  sources: Source[];
  /** Old site folder → source id (DUTYMACHINE_FOLDERS with the user's `--map` over it). */
  folders: Record<string, string>;
  /** Where the run counts the distinct articles, their old paths and HEAD's share: an empty tally, closed by the caller. */
  tally: ImportTally;
  /**
   * Bounds of a store batch (default STORE_BATCH_CHANGES changes, STORE_BATCH_MS ms): the result is
   * the same whatever they are, only the number of transactions and what a SIGKILL loses change.
   */
  storeBatch?: { changes: number; ms: number };
  /**
   * Cleans the bodies of the commits read ahead on another thread while this one plans and stores,
   * and computes the search index's text and tokens of what a flush indexes; without it the plan
   * cleans each body itself and the index tokenizes. The result is the same either way.
   */
  cleaner?: BodyCleaner;
  /**
   * Makes the files written so far durable. With it, the archive's writes need not fsync one by one:
   * each flush calls it once, after its files and lists and before clearing their pending marks, so a
   * crash never leaves a mark cleared for a file the disk does not hold.
   */
  settle?: () => Promise<void>;
  /**
   * Says that `deps.search` works on another thread (openSearchThread) and writes the same database
   * file. The articles of each stored batch then go to the index as they are stored,
   * INDEX_WINDOW_CHANGES at a time, rather than at the flush, so the walk's last flush does not wait
   * for a whole flush's indexing; an article changed in several windows is indexed in each, and a
   * flush clears its marks only once the index has taken every article stored before it. Before a
   * store batch the index is paused; a batch that may wait is put off while the index's transaction
   * still runs (see DEFERRED_BATCH_LIMIT).
   */
  indexBeside?: IndexBeside;
  /** How many stored changes `indexBeside` sends to the index at once (default INDEX_WINDOW_CHANGES); the result is the same whatever it is. */
  indexWindow?: number;
  /** Called after each commit, for a live display. */
  onProgress?: (progress: { commits: number; versions: number }) => void;
  signal?: AbortSignal;
}

/** ImportSourceReport is one source's share of an import. */
export interface ImportSourceReport {
  sourceId: string;
  /** Distinct articles found in the history (by newsmirror's identity). */
  articles: number;
  /** Distinct articles none of whose versions the old archive's HEAD still shows. */
  recovered: number;
  /** Articles and later versions this run stored. */
  newArticles: number;
  newVersions: number;
  /** Versions whose content was already stored: the same article under another path, a rewritten file, a re-run. */
  unchanged: number;
  /** Old paths whose article was already known under another path (a title edit, a reused id). */
  duplicatesMerged: number;
  /** Versions older than what the store already holds for the article (it is not rolled back). */
  older: number;
  /** Versions held back as suspect (their text empty or shrunk, see planChanges): stored, never made current. */
  suspects: number;
}

/** UnreadableFile is one file version that gave no article, with why. */
export interface UnreadableFile {
  path: string;
  commit: string;
  reason: UnreadableReason | 'unmapped-folder';
}

/** ImportReport is what an import did, exactly counted. */
export interface ImportReport {
  commits: number;
  /** Article file versions read from the history (every blob of `articles/<site>/*.md` and `_posts/*.md`). */
  versionsRead: number;
  articles: number;
  recovered: number;
  newArticles: number;
  newVersions: number;
  unchanged: number;
  duplicatesMerged: number;
  older: number;
  suspects: number;
  sources: ImportSourceReport[];
  /** Unreadable versions per reason. */
  unreadableByReason: Record<string, number>;
  /** The first REPORT_LISTED unreadable versions, with path and commit. */
  unreadable: UnreadableFile[];
  /** Folders (or Jekyll categories) with no source id, and how many versions each held. */
  unmappedFolders: Record<string, number>;
  /** The first REPORT_LISTED versions the plan could not turn into articles (a cleaning failure), with their commit. */
  failed: { commit: string; message: string }[];
  /** The first REPORT_LISTED things that went wrong beside the articles (images that could not be queued). */
  warnings: string[];
  /** How many of each list were counted but not listed, beyond its first REPORT_LISTED. */
  notListed: { unreadable: number; failed: number; warnings: number };
  /** True when a stop request ended the walk early; run again to go on. */
  stopped: boolean;
}

/**
 * REPORT_LISTED bounds each list of the report (unreadable versions, failures, warnings): what is beyond
 * it is only counted (`notListed`), so the report stays the same size whatever the history's.
 */
export const REPORT_LISTED = 200;

function listBounded<K extends keyof ImportReport['notListed']>(report: ImportReport, list: K, items: ImportReport[K][number][]): void {
  for (const item of items) {
    const listed = report[list] as ImportReport[K][number][];
    if (listed.length < REPORT_LISTED) listed.push(item);
    else report.notListed[list]++;
  }
}

/**
 * FLUSH_EVERY_CHANGES is how many stored changes wait before their files and lists are written.
 * The files are written a read at a time (writePendingFiles), so this bounds no memory but the
 * pending ids; each flush renders every list of the months it touched and indexes again an article
 * edited since the last one, so fewer are cheaper: 20,000 took 14 % less of the walk's thread than
 * 5,000 over the 20,000-version bench history, and a flush still overlaps the walk on longer ones.
 */
const FLUSH_EVERY_CHANGES = 20_000;

/**
 * STORE_BATCH_CHANGES and STORE_BATCH_MS bound a store batch: the planned changes of as many commits
 * as reach either go to the store in one transaction (with one per commit, a profile of a 35 s
 * import showed 5 s in them), and what an interrupted import has done stays at most this far behind.
 */
const STORE_BATCH_CHANGES = 250;
const STORE_BATCH_MS = 250;

/**
 * INDEX_CHUNK is how many articles one search `index` call takes. SQLite's FTS5 writes a segment per
 * transaction and merges them later: indexing 12,000 articles 200 at a time took 2.2 s of processor
 * time, 2,000 at a time 1.5 s. 1,000 keeps most of that and a flush's bodies in memory to ~20 MB.
 */
const INDEX_CHUNK = 1_000;

/**
 * INDEX_WINDOW_CHANGES is how many stored changes an import with `indexBeside` sends to the index
 * at once: the index's share of the walk's end is at most one window, and an article changed again
 * within a window is indexed once.
 */
const INDEX_WINDOW_CHANGES = 2_000;

/**
 * DEFERRED_BATCH_LIMIT bounds how far a store batch is put off while the index beside is in a
 * transaction, as a multiple of its bounds: SQLite's busy handler sleeps in steps of up to 100 ms,
 * so a batch stored at a later commit, once the paused index has ended its transaction, costs the
 * walk nothing, where waiting for the lock cost it 0.1 ms a version (D31). Past the limit, or with
 * suspects, the batch waits for the lock.
 */
const DEFERRED_BATCH_LIMIT = 4;

const decoder = new TextDecoder('utf-8');

interface Version {
  entry: Entry;
  path: string;
  atHead: boolean;
}

/** ReadCommit is one commit's files read: its versions by source and what could not be used. */
interface ReadCommit {
  commit: HistoryCommit;
  bySource: Map<Source, Version[]>;
  unreadable: UnreadableFile[];
  /** The folder of each version whose folder has no source. */
  unmapped: string[];
  versionsRead: number;
}

/**
 * CleanedBodies is what the cleaner gave for a group of commits read ahead: a body's cleaned HTML at a
 * link (see PlanInput.cleaned), and an entry's identity computed alone (see PlanIdentityOptions.computed).
 */
interface CleanedBodies {
  html: (html: string, url: string) => string | undefined;
  identity: (entry: Entry) => EntryIdentity | undefined;
}

/** CleanedAhead is a group's CleanedBodies to come, and once they came, the same bodies at hand. */
interface CleanedAhead {
  bodies: Promise<CleanedBodies>;
  ready?: CleanedBodies;
}

// Reads the article files of one commit: the folder (or a Jekyll post's category) names the source.
function readCommit(commit: HistoryCommit, folders: Record<string, string>, sourcesById: Map<string, Source>, head: Set<string>): ReadCommit {
  const read: ReadCommit = { commit, bySource: new Map(), unreadable: [], unmapped: [], versionsRead: 0 };
  for (const file of commit.files) {
    const old = parseDutyMachinePath(file.path);
    if (!old && !isJekyllPostPath(file.path)) continue;
    read.versionsRead++;
    const text = decoder.decode(file.bytes);
    // A fork's Jekyll post names its site by its first category, as a folder would.
    const folder = old?.folder ?? jekyllCategory(text) ?? JEKYLL_UNCATEGORIZED;
    const sourceId = folders[folder];
    const source = sourceId === undefined ? undefined : sourcesById.get(sourceId);
    if (!source) {
      read.unmapped.push(folder);
      read.unreadable.push({ path: file.path, commit: commit.commit, reason: 'unmapped-folder' });
      continue;
    }
    const parsed = readDutyMachineFile(text);
    if (!parsed.ok) {
      read.unreadable.push({ path: file.path, commit: commit.commit, reason: parsed.reason });
      continue;
    }
    const versions = read.bySource.get(source) ?? [];
    versions.push({ entry: parsed.entry, path: file.path, atHead: head.has(file.blob) });
    read.bySource.set(source, versions);
  }
  return read;
}

/**
 * CLEAN_AHEAD_VERSIONS is how many versions are read ahead of the plan while the cleaner cleans them,
 * CLEAN_REQUEST_VERSIONS how many go to the cleaner in one message (one per commit cost more in
 * messages than a commit's cleaning), and CLEAN_REQUESTS_IN_FLIGHT how many messages may wait on it.
 * Together they bound memory to a few hundred bodies.
 */
const CLEAN_AHEAD_VERSIONS = 512;
const CLEAN_REQUEST_VERSIONS = 64;
const CLEAN_REQUESTS_IN_FLIGHT = 8;

// The body a plan would clean for a version: readDutyMachineFile gives every entry its link.
function cleanRequestOf(entry: Entry, sourceId: string): CleanRequest | undefined {
  if (entry.link === undefined) return undefined;
  return { html: entry.content ?? entry.summary ?? '', link: entry.link, sourceId, ...(entry.title === undefined ? {} : { title: entry.title }) };
}

/**
 * readAhead reads commits ahead of the caller and, with a cleaner, has their bodies cleaned on its
 * thread meanwhile: each commit comes with what was cleaned for it, to come or at hand. The caller
 * takes the entries' identities when they are at hand (else computes them) and awaits the bodies
 * only when it has something to clean (a re-run, where every version is already stored, never waits
 * on the cleaner). When CLEAN_REQUESTS_IN_FLIGHT requests already wait on a cleaner that fell
 * behind, the next commits get none: the plan cleans them itself, so neither thread waits on the other.
 */
async function* readAhead(
  commits: AsyncIterable<HistoryCommit>,
  read: (commit: HistoryCommit) => ReadCommit,
  cleaner: BodyCleaner | undefined,
): AsyncGenerator<ReadCommit & { cleaned?: CleanedAhead }> {
  if (!cleaner) {
    for await (const commit of commits) yield read(commit);
    return;
  }
  const queue: { commits: ReadCommit[]; cleaned?: CleanedAhead; versions: number }[] = [];
  let queued = 0;
  let inFlight = 0;
  let group: ReadCommit[] = [];
  let groupVersions = 0;
  const send = (): void => {
    let cleaned: CleanedAhead | undefined;
    if (inFlight < CLEAN_REQUESTS_IN_FLIGHT) {
      const requests: CleanRequest[] = [];
      const entries: Entry[] = [];
      for (const commit of group) {
        for (const [source, versions] of commit.bySource) {
          for (const version of versions) {
            const request = cleanRequestOf(version.entry, source.id);
            if (request) {
              requests.push(request);
              entries.push(version.entry);
            }
          }
        }
      }
      inFlight++;
      const ahead: CleanedAhead = { bodies: cleaner.clean(requests).then((results) => cleanedBodies(requests, entries, results)) };
      // Marked handled: a failure surfaces when the caller awaits this group's bodies, not as an unhandled rejection.
      ahead.bodies.then((bodies) => (ahead.ready = bodies), () => undefined).finally(() => inFlight--);
      cleaned = ahead;
    }
    queue.push({ commits: group, cleaned, versions: groupVersions });
    queued += groupVersions;
    group = [];
    groupVersions = 0;
  };
  for await (const commit of commits) {
    const next = read(commit);
    group.push(next);
    groupVersions += next.versionsRead;
    if (groupVersions >= CLEAN_REQUEST_VERSIONS) send();
    while (queued > CLEAN_AHEAD_VERSIONS) {
      const head = queue.shift() as (typeof queue)[number];
      queued -= head.versions;
      for (const ready of head.commits) yield { ...ready, cleaned: head.cleaned };
    }
  }
  if (group.length > 0) send();
  for (const head of queue) for (const ready of head.commits) yield { ...ready, cleaned: head.cleaned };
}

function cleanedBodies(requests: CleanRequest[], entries: Entry[], results: (CleanedBody | undefined)[]): CleanedBodies {
  const byBody = new Map<string, CleanedBody | undefined>();
  const byEntry = new Map<Entry, CleanedBody | undefined>();
  requests.forEach((request, index) => {
    byBody.set(request.html, results[index]);
    byEntry.set(entries[index] as Entry, results[index]);
  });
  return {
    html: (html, url) => {
      const found = byBody.get(html);
      return found?.url === url ? found.html : undefined;
    },
    identity: (entry) => byEntry.get(entry)?.identity,
  };
}

/**
 * importDutyMachine walks the history and stores every article version it finds, then writes the
 * files, lists and search entries, and queues the images when media mirroring is on. It throws only
 * when the history itself cannot be read; files it cannot use are counted and listed in the report.
 */
export async function importDutyMachine(deps: PipelineDeps, history: ArchiveHistory, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = {
    commits: 0, versionsRead: 0, articles: 0, recovered: 0, newArticles: 0, newVersions: 0, unchanged: 0, duplicatesMerged: 0, older: 0, suspects: 0,
    sources: [], unreadableByReason: {}, unreadable: [], unmappedFolders: {}, failed: [], warnings: [], notListed: { unreadable: 0, failed: 0, warnings: 0 }, stopped: false,
  };
  const sourcesById = new Map(options.sources.map((source) => [source.id, source]));
  const perSource = new Map<string, ImportSourceReport>();
  const sourceReport = (sourceId: string): ImportSourceReport => {
    let found = perSource.get(sourceId);
    if (!found) {
      found = { sourceId, articles: 0, recovered: 0, newArticles: 0, newVersions: 0, unchanged: 0, duplicatesMerged: 0, older: 0, suspects: 0 };
      perSource.set(sourceId, found);
    }
    return found;
  };
  const policies = new Map<string, 'url' | 'guid' | undefined>();
  for (const source of options.sources) policies.set(source.id, (await deps.store.getSourceState(source.id))?.guidPolicy);
  const touched = new Set<Source>();
  let unflushed = 0;
  const batch = emptyBatch();
  const folderCounts: FolderCounts = new Map();
  const batchBounds = options.storeBatch ?? { changes: STORE_BATCH_CHANGES, ms: STORE_BATCH_MS };

  // What an interrupted import (or sync) stored but did not write comes first.
  for (const source of options.sources) listBounded(report, 'warnings', await writePendingFiles(deps, source, options));
  const head = await history.headBlobs();

  const unreadable = (file: UnreadableFile): void => {
    report.unreadableByReason[file.reason] = (report.unreadableByReason[file.reason] ?? 0) + 1;
    listBounded(report, 'unreadable', [file]);
  };

  // The batch's changes in one transaction, each file marked pending; its files come later (flush).
  // With `indexBeside`: the articles stored since the last window, the latest version of each, and the window in the index.
  const toIndex = new Map<string, Article>();
  let indexing: Promise<void> = Promise.resolve();
  const sendToIndex = async (): Promise<void> => {
    if (toIndex.size === 0 || deps.search === undefined) return;
    const articles = [...toIndex.values()];
    toIndex.clear();
    // A paused index would wait for this thread while this thread waits for it.
    options.indexBeside?.resume();
    // One window in the index while the next fills: an index that falls behind holds the walk back rather than piling up articles.
    await indexing;
    indexing = deps.search.index(articles);
    // Marked handled: a failure surfaces at the next window or flush, not as an unhandled rejection.
    indexing.catch(() => undefined);
  };

  const storeBatch = async (): Promise<void> => {
    await deps.store.applyChanges(batch.changes, undefined, batch.suspects);
    options.indexBeside?.resume();
    if (options.indexBeside !== undefined) {
      for (const { article } of batch.changes) {
        toIndex.delete(article.id);
        toIndex.set(article.id, article);
      }
    }
    for (const [folder, added] of batch.folders) {
      const counted = folderCounts.get(folder);
      if (counted !== undefined) folderCounts.set(folder, counted + added);
    }
    for (const sourceId of batch.policies) {
      const state = await deps.store.getSourceState(sourceId);
      await deps.store.saveSourceState({ consecutiveFailures: 0, ...state, sourceId, guidPolicy: policies.get(sourceId) });
    }
    unflushed += batch.changes.length;
    Object.assign(batch, emptyBatch());
    if (toIndex.size >= (options.indexWindow ?? INDEX_WINDOW_CHANGES)) await sendToIndex();
  };

  // Files are written in the background while the walk goes on: their writes wait on the disk, the
  // walk on the processor. At most one flush runs; the store's file marks keep an article changed
  // meanwhile pending (its mark moved on), so the next flush writes it again.
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    await flushing;
    const sources = [...touched];
    touched.clear();
    unflushed = 0;
    let indexed: Promise<void> | undefined;
    if (options.indexBeside !== undefined) {
      await sendToIndex();
      indexed = indexing;
    }
    flushing = (async () => {
      for (const source of sources) listBounded(report, 'warnings', await writePendingFiles(deps, source, { ...options, indexed }));
    })();
    // Marked handled: a failure surfaces at the next flush or at the end, not as an unhandled rejection.
    flushing.catch(() => undefined);
  };

  const read = (commit: HistoryCommit): ReadCommit => readCommit(commit, options.folders, sourcesById, head);
  try {
    for await (const { commit, bySource, unreadable: skipped, unmapped, versionsRead, cleaned } of readAhead(history.commits(), read, options.cleaner)) {
      if (options.signal?.aborted) {
        report.stopped = true;
        break;
      }
      report.commits++;
      report.versionsRead += versionsRead;
      for (const folder of unmapped) report.unmappedFolders[folder] = (report.unmappedFolders[folder] ?? 0) + 1;
      for (const file of skipped) unreadable(file);
      for (const [source, versions] of bySource) {
        const changes = await importCommit(deps, source, commit, versions, { report, sourceReport: sourceReport(source.id), tally: options.tally, policies, batch, folderCounts, cleaned });
        if (changes > 0) touched.add(source);
      }
      // The store writes a batch's suspect versions after its changes: stored at once, they keep their order.
      const suspects = batch.suspects.add.length + batch.suspects.dismiss.length > 0;
      const due = suspects || batch.changes.length >= batchBounds.changes || (batch.changes.length > 0 && performance.now() - batch.started >= batchBounds.ms);
      if (due) {
        const indexWriting = options.indexBeside?.pause() === true;
        if (suspects || !indexWriting || batch.changes.length >= DEFERRED_BATCH_LIMIT * batchBounds.changes) await storeBatch();
      }
      if (unflushed >= FLUSH_EVERY_CHANGES) await flush();
      options.onProgress?.({ commits: report.commits, versions: report.versionsRead });
    }
    await storeBatch();
    await flush();
    await flushing;
  } finally {
    // A walk stopped or failed with a batch put off leaves the index free to write.
    options.indexBeside?.resume();
    // A walk that failed still lets the flush in flight end before the caller closes the store.
    await flushing?.catch(() => undefined);
  }
  await drainImages(deps, options.sources, options.signal);

  for (const [sourceId, counts] of await options.tally.counts()) Object.assign(sourceReport(sourceId), counts);
  report.sources = [...perSource.values()].sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  for (const share of report.sources) {
    report.articles += share.articles;
    report.recovered += share.recovered;
    report.duplicatesMerged += share.duplicatesMerged;
  }
  return report;
}

interface VersionMark {
  contentHash: string;
  seenAt: number;
}

/**
 * PendingBatch is what the planned but not yet stored changes of several commits add to the store's
 * view. Only articles the batch touched are in it, so it stays bounded by the batch size.
 */
interface PendingBatch {
  /** When the batch's first change was planned (performance.now()). */
  started: number;
  changes: ArticleChange[];
  /** The known-article records the changes make, by `sourceKey`. */
  known: Map<string, KnownArticle>;
  /** Versions of articles the batch touched: the store's (read once, when needed) and the batch's own. */
  versions: Map<string, { stored?: VersionMark[]; added: VersionMark[] }>;
  /** Paths the batch's new articles take under each day folder. */
  folders: Map<string, number>;
  /** Sources whose settled GUID policy changed, saved after the changes that settled it. */
  policies: Set<string>;
  /** The current title and body of the articles the batch changed, for the suspect check. */
  current: Map<string, CurrentVersion>;
  /** Suspect versions held back and suspects dismissed (stored with the commit that planned them). */
  suspects: SuspectChanges;
}

function emptyBatch(): PendingBatch {
  return { started: performance.now(), changes: [], known: new Map(), versions: new Map(), folders: new Map(), policies: new Set(), current: new Map(), suspects: { add: [], dismiss: [] } };
}

function sourceKey(sourceId: string, key: string): string {
  return `${sourceId}\n${key}`;
}

interface CommitContext {
  report: ImportReport;
  sourceReport: ImportSourceReport;
  tally: ImportTally;
  /** Each source's settled GUID policy, as sync keeps it in the source state. */
  policies: Map<string, 'url' | 'guid' | undefined>;
  batch: PendingBatch;
  folderCounts: FolderCounts;
  /** Bodies the cleaner cleans ahead for this commit, when there is a cleaner and it was not behind. */
  cleaned?: CleanedAhead;
}

/** importCommit plans one commit's versions of one source into the batch; returns how many changes it planned. */
async function importCommit(deps: PipelineDeps, source: Source, commit: HistoryCommit, versions: Version[], context: CommitContext): Promise<number> {
  const { report, sourceReport: share, tally, policies, batch } = context;
  const previous = policies.get(source.id);
  const ready = context.cleaned?.ready;
  const entries = versions.map((version) => version.entry);
  const identity = planIdentity(source.id, entries, source.guidPolicy, previous, ready === undefined ? {} : { computed: entries.map(ready.identity) });
  const pathOf = (item: IdentifiedEntry): Version => versions[item.index] as Version;

  for (const item of identity.entries) await notePath(tally, item.id, source.id, pathOf(item), share);
  // The same article under two paths of one commit: one version, the other path merged.
  for (const duplicate of identity.duplicates) {
    const version = versions[duplicate.index] as Version;
    const kept = identity.entries.find((item) => item.key === duplicate.key);
    if (kept) await notePath(tally, kept.id, source.id, version, share);
    share.unchanged++;
    report.unchanged++;
  }

  const { known, folderCounts } = await readKnown(deps, source.id, identity.entries, commit.time, batch, context.folderCounts);
  const fresh: IdentifiedEntry[] = [];
  for (const item of identity.entries) {
    const record = known.get(item.key);
    if (!record || (record.contentHash === item.contentHash && record.suspectHash === undefined)) {
      fresh.push(item);
      continue;
    }
    if (record.contentHash === item.contentHash) {
      // The current text seen again refutes a held-back version, unless this is a stored version
      // seen again by a re-run, from before the suspect.
      const history = await versionsOf(deps, batch, record.id);
      if (history.some((version) => version.contentHash === item.contentHash && version.seenAt === commit.time)) {
        share.unchanged++;
        report.unchanged++;
      } else {
        fresh.push(item);
      }
      continue;
    }
    // Held back already: the same text again in the history is no clean fetch confirming it, and a
    // re-run must not promote what the first run held back.
    if (record.suspectHash === item.contentHash) {
      share.unchanged++;
      report.unchanged++;
      continue;
    }
    const history = await versionsOf(deps, batch, record.id);
    const latest = history.at(-1)?.seenAt ?? record.firstSeen;
    if (history.some((version) => version.contentHash === item.contentHash && version.seenAt === commit.time)) {
      share.unchanged++;
      report.unchanged++;
    } else if (commit.time < latest) {
      share.older++;
      report.older++;
    } else {
      fresh.push(item);
    }
  }

  const edited = fresh.flatMap((item) => {
    const record = known.get(item.key);
    return record !== undefined && record.contentHash !== item.contentHash ? [record.id] : [];
  });
  const plan = planChanges({
    source, entries: fresh, known, folderCounts, pages: new Map(), current: await readCurrent(deps, batch, edited),
    now: commit.time, timeZone: deps.timeZone, fetchedFrom: `git:${commit.commit}`,
    cleaned: fresh.length > 0 ? (await context.cleaned?.bodies)?.html : undefined,
  });
  batch.suspects.add.push(...plan.suspects);
  batch.suspects.dismiss.push(...plan.dismissed);
  share.suspects += plan.suspects.length;
  report.suspects += plan.suspects.length;
  listBounded(report, 'failed', plan.failures.map((failure) => ({ commit: commit.commit, message: `${failure.error.message} (item ${failure.label})` })));
  share.unchanged += plan.unchanged.length;
  report.unchanged += plan.unchanged.length;
  const changes: ArticleChange[] = [...plan.added, ...plan.edited].map((planned) => planned.change);
  for (const change of changes) addToBatch(batch, change);
  if (identity.policy !== previous) {
    policies.set(source.id, identity.policy);
    batch.policies.add(source.id);
  }
  share.newArticles += plan.added.length;
  share.newVersions += plan.edited.length;
  report.newArticles += plan.added.length;
  report.newVersions += plan.edited.length;
  return changes.length;
}

// What the store holds for the entries' keys with the batch's unstored changes over it, and the
// counts of the day folders new articles need (the batch's new paths included).
async function readKnown(
  deps: PipelineDeps,
  sourceId: string,
  entries: IdentifiedEntry[],
  now: number,
  batch: PendingBatch,
  stored: FolderCounts,
): Promise<{ known: Map<string, KnownArticle>; folderCounts: Map<string, number> }> {
  const unbatched = entries.filter((item) => !batch.known.has(sourceKey(sourceId, item.key))).map((item) => item.key);
  const known = unbatched.length > 0 ? await deps.store.findByKeys(sourceId, unbatched) : new Map<string, KnownArticle>();
  for (const item of entries) {
    const pending = batch.known.get(sourceKey(sourceId, item.key));
    if (pending) known.set(item.key, pending);
  }
  const folders = newArticleFolders(sourceId, entries, known, now, deps.timeZone);
  const counts = new Map<string, number>();
  for (const folder of folders) {
    let count = stored.get(folder);
    if (count === undefined) {
      if (stored.size >= FOLDER_COUNTS_KEPT) stored.clear();
      count = await deps.store.countPathsUnder(folder);
      stored.set(folder, count);
    }
    counts.set(folder, count + (batch.folders.get(folder) ?? 0));
  }
  return { known, folderCounts: counts };
}

/**
 * FolderCounts is how many paths the store holds under each day folder the import has counted:
 * counting them in the store took a twentieth of the walk's thread at 100,000 versions, growing with
 * the folders. The import is the archive's only writer (it holds the lock), so a count stays exact
 * when each stored batch adds its new paths. FOLDER_COUNTS_KEPT bounds it: a history of a few years
 * has a few thousand day folders per source; past that, it starts again from the store's counts.
 */
type FolderCounts = Map<string, number>;
const FOLDER_COUNTS_KEPT = 50_000;

// The current title and body of the articles a commit edits, for the suspect check as a sync makes
// it: the batch's own when it changed them, else the store's.
async function readCurrent(deps: PipelineDeps, batch: PendingBatch, articleIds: string[]): Promise<Map<string, CurrentVersion>> {
  const current = new Map<string, CurrentVersion>();
  const stored: string[] = [];
  for (const id of articleIds) {
    const pending = batch.current.get(id);
    if (pending) current.set(id, pending);
    else stored.push(id);
  }
  for (let start = 0; start < stored.length; start += ARTICLES_PER_READ) {
    for (const article of await deps.store.getArticles(stored.slice(start, start + ARTICLES_PER_READ))) {
      current.set(article.id, { title: article.title, bodyHtml: article.bodyHtml });
    }
  }
  return current;
}

// An article's versions, oldest first: the store's, then the batch's not yet stored. The store's are
// kept in the batch, so an article edited again within it is not read again.
async function versionsOf(deps: PipelineDeps, batch: PendingBatch, articleId: string): Promise<VersionMark[]> {
  let marks = batch.versions.get(articleId);
  if (!marks) {
    marks = { added: [] };
    batch.versions.set(articleId, marks);
  }
  marks.stored ??= (await deps.store.listVersions(articleId)).map((version) => ({ contentHash: version.contentHash, seenAt: version.seenAt }));
  return [...marks.stored, ...marks.added];
}

// Adds a planned change to the batch and what it makes of the article to the batch's view, as the
// store would give it back once applied (an edit settles the article's pending suspect versions).
function addToBatch(batch: PendingBatch, change: ArticleChange): void {
  const { article } = change;
  if (batch.changes.length === 0) batch.started = performance.now();
  batch.changes.push(change);
  batch.known.set(sourceKey(article.sourceId, article.key), knownOf(article));
  batch.current.set(article.id, { title: article.title, bodyHtml: article.bodyHtml });
  const marks = batch.versions.get(article.id) ?? { stored: change.kind === 'new' ? [] : undefined, added: [] };
  marks.added.push({ contentHash: article.contentHash, seenAt: article.lastSeen });
  batch.versions.set(article.id, marks);
  if (change.kind === 'new') {
    // `articles/<source>/<YYYY>/<MM>/<DD>`: the day folder of articlePath, whatever its overflow.
    const folder = article.path.split('/', 5).join('/');
    batch.folders.set(folder, (batch.folders.get(folder) ?? 0) + 1);
  }
}

function knownOf(article: Article): KnownArticle {
  const { id, key, url, canonicalUrl, guid, contentHash, version, path, published, dateMissing, method, firstSeen } = article;
  return { id, key, url, canonicalUrl, guid, contentHash, version, path, published, dateMissing, method, firstSeen };
}

/**
 * WRITES_IN_FLIGHT is how many file writes a flush leaves waiting on the archive while it goes on
 * reading, rendering and indexing: with a few, the flush's thread sat idle while the writer's thread
 * wrote, then the writer's while the flush's indexed. A few hundred rendered files are a few MB.
 */
const WRITES_IN_FLIGHT = 256;

/**
 * writePendingFiles is flushPendingFiles a read at a time: each read of ARTICLES_PER_READ articles
 * is rendered, its files (with its earlier versions') handed to the archive, indexed and its images
 * queued before the next is read, so a flush of tens of thousands of imported changes never holds
 * their bodies together. Up to WRITES_IN_FLIGHT writes wait on the archive meanwhile, so the next
 * read is rendered and indexed while the archive writes the last, and the cleaner (when there is
 * one) computes a read's index text while its files are rendered. Each article is indexed once per
 * flush, at its current version: the pending marks name each article once. The lists are written
 * once, at the end, for the months the files fell in, once every write has ended; then `settle`
 * makes them durable and the marks are cleared last, as in a sync. With `indexed`, the walk sent
 * the articles to the index as it stored them (`indexBeside`): the flush indexes nothing and waits
 * for that before it clears the marks. Returns the image warnings.
 */
async function writePendingFiles(
  deps: PipelineDeps,
  source: Source,
  options: Pick<ImportOptions, 'settle' | 'cleaner' | 'indexBeside'> & { indexed?: Promise<void> },
): Promise<string[]> {
  const pending = await deps.store.listPendingFiles(source.id);
  if (pending.length === 0) return [];
  const warnings: string[] = [];
  // writeSourceLists reads only the path of what changed: one article per month stands for the month.
  const months = new Map<string | undefined, Article>();
  let unindexed: Article[] = [];
  let texts: (IndexText | undefined)[] = [];
  const writes = writeWindow(WRITES_IN_FLIGHT);
  let indexing: Promise<void> | undefined;
  // With `indexed`, the walk has indexed these articles already.
  const search = options.indexed === undefined ? deps.search : undefined;
  // An index beside tokenizes on its own thread: texts computed here would not be sent.
  const textsHere = search !== undefined && options.indexBeside === undefined;
  try {
    for (let start = 0; start < pending.length; start += ARTICLES_PER_READ) {
      const articles = await deps.store.getArticles(pending.slice(start, start + ARTICLES_PER_READ).map((file) => file.id));
      const prepared = textsHere ? options.cleaner?.indexTexts(articles) : undefined;
      // Marked handled: a failure surfaces where this read's texts are awaited, not as an unhandled rejection.
      prepared?.catch(() => undefined);
      for (const article of articles) {
        await writes.add(() => deps.archive.write(article.path, renderArticleFile(article)));
        // Every earlier version is a file beside its article, as a sync writes it, so `rebuild` restores the history.
        for (const file of await versionFiles(deps, article)) await writes.add(() => deps.archive.write(file.path, file.content));
      }
      if (search !== undefined) {
        unindexed.push(...articles);
        texts.push(...((await prepared) ?? articles.map(() => undefined)));
      }
      if (unindexed.length >= INDEX_CHUNK) {
        // One read's index call runs while the next read is rendered: an index beside works meanwhile.
        await indexing;
        indexing = search?.index(unindexed, texts);
        indexing?.catch(() => undefined);
        unindexed = [];
        texts = [];
      }
      warnings.push(...(await queueImages(deps, source, articles.map((article) => ({ article })))));
      for (const article of articles) months.set(monthOfArticlePath(article.path), article);
    }
    await indexing;
    await search?.index(unindexed, texts);
  } catch (error) {
    await indexing?.catch(() => undefined);
    // A flush that failed still lets its writes end before the caller closes the archive.
    await writes.drain().catch(() => undefined);
    throw error;
  }
  await writes.drain();
  await writeSourceLists(deps, source, [...months.values()]);
  await options.settle?.();
  await options.indexed;
  await deps.store.markFilesWritten(pending);
  return warnings;
}

// Notes a version in the tally; each old path of an article after its first is one merged.
async function notePath(tally: ImportTally, articleId: string, sourceId: string, version: Version, share: ImportSourceReport): Promise<void> {
  const noted = await tally.note({ articleId, sourceId, path: version.path, atHead: version.atHead });
  if (noted.newPath && !noted.newArticle) share.duplicatesMerged++;
}
