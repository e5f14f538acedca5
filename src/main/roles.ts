/**
 * The roles of a deployment on several processes or machines (docs/deploy.md, docs/decisions.md D18),
 * all reading one config and coordinated by the database alone:
 * - `runWorker` claims due sources (row leases), syncs each up to the store and the image queue,
 *   re-checks due pages between rounds (a lease per page, D30), and writes no archive file;
 * - `runArchiver` is the one writer of the archive while it leads (an advisory lock on PostgreSQL,
 *   the archive's lock file on SQLite): it writes what is pending, the lists, README and STATUS, and publishes.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/index.js';
import type { Source, SourceReport } from '../core/model/index.js';
import type { ArchiveLeadership, Clock, Logger, SourceLeases } from '../core/ports.js';
import { errorMessage, isNewsmirrorError, NewsmirrorError } from '../core/errors.js';
import { finishRun, flushPendingFiles, syncSourceReported, writeArchiveReadme, writeRemovedList } from '../core/pipeline/index.js';
import { openPostgresLeadership, openPostgresLeases } from '../adapters/store/postgres/index.js';
import { openSqliteLeases } from '../adapters/store/sqlite/index.js';
import { REMOVED_LIST_PATH } from '../core/render/index.js';
import { createArchiveWriter, removeStaleTemporaries } from '../adapters/archive/index.js';
import { flushMediaBlobs } from '../adapters/media/index.js';
import { acquireLock, type Lock } from '../adapters/lock/index.js';
import { databaseOf, openContext, openReaderContext, workerOwner, type AppContext } from './context.js';
import type { RunOptions } from './daemon.js';
import { publishUnattended } from './publish.js';
import { recheckOnWorker } from './recheck.js';

// How often a `--once` worker polls for the due sources other workers hold: every WAIT_FIRST_MS for
// the first WAIT_FAST_MS, as their syncs usually end within a moment, then doubling up to WAIT_LAST_MS,
// as a dead worker's lease takes minutes to expire.
const WAIT_FIRST_MS = 50;
const WAIT_FAST_MS = 2_000;
const WAIT_LAST_MS = 500;

/** openLeases opens the source leases over the configured database. */
export async function openLeases(config: Config, clock?: Clock): Promise<SourceLeases> {
  const target = databaseOf(config.database);
  if (target.engine === 'sqlite') return openSqliteLeases(target.file);
  const options = target.schema === undefined ? {} : { schema: target.schema };
  return openPostgresLeases(target.url, clock === undefined ? options : { ...options, clock });
}

/**
 * openLeadership returns the archive's leadership over the configured database: PostgreSQL's
 * advisory lock, or on SQLite (one machine) the archive's lock file, which `sync` and `run` take too.
 */
export async function openLeadership(config: Config, pollMs: number): Promise<ArchiveLeadership> {
  const target = databaseOf(config.database);
  if (target.engine === 'postgres') return openPostgresLeadership(target.url, target.schema === undefined ? { pollMs } : { schema: target.schema, pollMs });
  let lock: Lock | undefined;
  return {
    async acquire(signal) {
      await mkdir(config.archive, { recursive: true });
      for (;;) {
        try {
          lock = await acquireLock(join(config.archive, '.newsmirror.lock'), 'archiver');
          return true;
        } catch (error) {
          if (!isNewsmirrorError(error) || error.code !== 'locked') throw error;
        }
        if (signal?.aborted === true) return false;
        await sleep(pollMs, undefined, { signal }).catch(() => undefined);
      }
    },
    held: async () => lock !== undefined,
    async close() {
      await lock?.release();
      lock = undefined;
    },
  };
}

/** WorkerHooks let the caller observe a worker (the CLI prints; tests wait). */
export interface WorkerHooks {
  onSource?: (report: SourceReport) => void;
  onRound?: (summary: { sources: number; newArticles: number; editedArticles: number; failed: number }) => void;
}

/** WorkerOptions configures `runWorker`. */
export interface WorkerOptions {
  logger: Logger;
  clock?: Clock;
  signal: AbortSignal;
  /** Process every due source once (waiting for those other workers hold) and return. */
  once?: boolean;
  /** Count every enabled source not claimed since this worker started as due (with `once`). */
  all?: boolean;
  hooks?: WorkerHooks;
}

/**
 * runWorker claims due sources and syncs each one (fetch → … → store, image queue), several at once
 * up to `network.concurrency`, renewing its leases while the syncs run and releasing each at its end.
 * It writes no archive file. Returns the number of failed sources.
 */
export async function runWorker(config: Config, options: WorkerOptions): Promise<{ failed: number; synced: number }> {
  const context = await openContext(config, { logger: options.logger, clock: options.clock, worker: true });
  let leases: SourceLeases | undefined;
  try {
    leases = await openLeases(config, options.clock);
    return await workLoop(config, context, leases, options);
  } finally {
    await leases?.close();
    await context.close();
  }
}

async function workLoop(config: Config, context: AppContext, leases: SourceLeases, options: WorkerOptions): Promise<{ failed: number; synced: number }> {
  const { signal, logger } = options;
  const owner = context.work?.owner ?? workerOwner();
  const sources = new Map(config.sources.filter((source) => source.enabled).map((source) => [source.id, source]));
  const notClaimedSince = options.all === true ? await leases.now() : undefined;
  const pollMs = config.workers.pollSeconds * 1000;
  let failed = 0;
  let synced = 0;
  let nextRecheckAt = 0;
  while (!signal.aborted) {
    const startedAt = context.clock.now();
    const reports = await workRound(config, context, leases, { owner, sources, notClaimedSince, once: options.once === true, signal, hooks: options.hooks });
    if (reports.length > 0) {
      const run = await finishRun(context.deps, [...sources.values()], reports, { runId: randomUUID(), startedAt, signal });
      await context.store.saveRunReport(run);
      const summary = {
        sources: reports.length,
        newArticles: reports.reduce((sum, report) => sum + report.newArticles, 0),
        editedArticles: reports.reduce((sum, report) => sum + report.editedArticles, 0),
        failed: reports.filter((report) => report.status === 'failed').length,
      };
      failed += summary.failed;
      synced += summary.sources;
      logger.info(`worker: ${summary.sources} source(s), ${summary.newArticles} new, ${summary.editedArticles} edited, ${summary.failed} failed`);
      options.hooks?.onRound?.(summary);
    }
    if (options.once === true) break;
    // Re-checks once a tick of real time, as `run` does between its syncs: a pass reads every source's presence.
    if (performance.now() >= nextRecheckAt) {
      await recheckOnWorker(context, signal);
      nextRecheckAt = performance.now() + config.schedule.tickSeconds * 1000;
    }
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
  return { failed, synced };
}

/**
 * workRound keeps up to `network.concurrency` claimed sources syncing until no due source is left to
 * claim. With `once`, due sources another worker holds are waited for: if that worker dies, its
 * lease expires and this one takes them over.
 */
async function workRound(
  config: Config,
  context: AppContext,
  leases: SourceLeases,
  round: { owner: string; sources: Map<string, Source>; notClaimedSince?: number; once: boolean; signal: AbortSignal; hooks?: WorkerHooks },
): Promise<SourceReport[]> {
  const { owner, sources, signal } = round;
  const leaseMs = config.workers.leaseSeconds * 1000;
  const concurrency = Math.max(1, config.network.concurrency);
  const ids = [...sources.keys()];
  const inFlight = new Map<string, Promise<void>>();
  const reports: SourceReport[] = [];
  // Renewed three times per lease, so one slow renewal never lets a live sync's lease lapse.
  const renewal = setInterval(() => {
    const held = [...inFlight.keys()];
    leases.renew(owner, held, leaseMs).then(
      (kept) => {
        for (const lost of held.filter((id) => !kept.includes(id) && inFlight.has(id))) context.logger.warn(`worker: the lease on ${lost} was lost; its state save will be refused if another worker synced it`, { source_id: lost });
      },
      (error: unknown) => context.logger.warn(`worker: cannot renew leases: ${errorMessage(error)}`),
    );
  }, leaseMs / 3);
  // Finished syncs' leases end with the next claim, which follows each of them; the rest at the end.
  let finished: string[] = [];
  const start = (source: Source): void => {
    const done = (async () => {
      const report = await syncSourceReported(context.deps, source);
      reports.push(report);
      round.hooks?.onSource?.(report);
      finished.push(source.id);
      inFlight.delete(source.id);
    })();
    inFlight.set(source.id, done);
  };
  try {
    let waitMs = WAIT_FIRST_MS;
    let waitingSince: number | undefined;
    for (;;) {
      if (signal.aborted) break;
      const free = concurrency - inFlight.size;
      let claimed: string[] = [];
      let busy = 0;
      if (free > 0) {
        // Taken out before the claim: a sync that finishes while it runs waits for the next one.
        const release = finished;
        finished = [];
        try {
          ({ claimed, busy } = await leases.claim({ owner, sourceIds: ids, dueAt: context.clock.now(), notClaimedSince: round.notClaimedSince, limit: free, leaseMs, release }));
        } catch (error) {
          finished.push(...release);
          throw error;
        }
        for (const id of claimed) start(sources.get(id) as Source);
      }
      if (claimed.length > 0) {
        waitMs = WAIT_FIRST_MS;
        waitingSince = undefined;
      }
      if (claimed.length > 0 && claimed.length === free) continue;
      if (inFlight.size > 0) {
        await Promise.race(inFlight.values());
        continue;
      }
      if (busy === 0 || !round.once) break;
      // Due sources other workers hold: done when they finish, or ours once a dead worker's lease
      // expires. Polled often at first, since the others' syncs usually end within a moment (a
      // fixed second kept every `--once` worker of a round waiting after the last sync; a backoff
      // from the first wait, up to a few hundred ms), then less often.
      waitingSince ??= performance.now();
      await sleep(Math.min(waitMs, leaseMs / 4), undefined, { signal }).catch(() => undefined);
      if (performance.now() - waitingSince >= WAIT_FAST_MS) waitMs = Math.min(waitMs * 2, WAIT_LAST_MS);
    }
    // A stop request lets the syncs in flight finish their writes.
    await Promise.all(inFlight.values());
  } finally {
    clearInterval(renewal);
    if (finished.length > 0) {
      await leases.release(owner, finished).catch((error: unknown) =>
        context.logger.warn(`worker: cannot release ${finished.join(', ')}: ${errorMessage(error)}; their leases expire on their own`),
      );
    }
  }
  return reports;
}

/** ArchiverHooks let the caller observe the archiver (the CLI prints; tests wait). */
export interface ArchiverHooks {
  onLeading?: () => void;
  onPass?: (summary: { files: number; published: boolean }) => void;
}

/** ArchiverOptions configures `runArchiver`. */
export interface ArchiverOptions {
  logger: Logger;
  clock?: Clock;
  signal: AbortSignal;
  /** Write and publish what is pending once, then return. */
  once?: boolean;
  hooks?: ArchiverHooks;
}

/**
 * runArchiver waits for the archive's leadership, then, every `workers.pollSeconds` until `signal`
 * (or once), writes every pending article file with its lists and search entries, and after a pass
 * that wrote files rewrites README and STATUS and publishes to the git remotes.
 */
export async function runArchiver(config: Config, options: ArchiverOptions): Promise<{ files: number }> {
  const { logger, signal } = options;
  const pollMs = config.workers.pollSeconds * 1000;
  const leadership = await openLeadership(config, pollMs);
  let context: AppContext | undefined;
  let files = 0;
  try {
    if (!(await leadership.acquire(signal))) return { files };
    logger.info('archiver: leading: this process writes the archive');
    options.hooks?.onLeading?.();
    // What a killed archiver left half-written is removed now that this one is the only writer.
    await removeStaleTemporaries(config.archive);
    context = await openContext(config, { logger, clock: options.clock });
    let first = true;
    while (!signal.aborted) {
      if (!(await leadership.held())) throw new NewsmirrorError('locked', 'archive', 'archiver: the archive leadership was lost (database connection dropped)', { hint: 'restart the archiver; it waits for the leadership again' });
      const written = await archivePass(config, context, first || options.once === true);
      files += written.files;
      options.hooks?.onPass?.(written);
      first = false;
      if (options.once === true) break;
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await context?.close();
    await leadership.close();
  }
  return { files };
}

/**
 * archivePass writes the workers' pending images and what the store marks pending, per source; with
 * files written (or `always`), README, STATUS and a publish.
 */
async function archivePass(config: Config, context: AppContext, always: boolean): Promise<{ files: number; published: boolean }> {
  const { deps, logger } = context;
  let files = 0;
  // The workers' images first, so that an article file written next never points at a missing image.
  if (context.mediaBlobs) {
    // Folders are fsynced too: a written blob's bytes are released, so its file must survive a power cut.
    const images = await flushMediaBlobs(context.mediaBlobs, createArchiveWriter(config.media.dir ?? config.archive, { syncDirectories: true }));
    files += images.written;
  }
  for (const source of config.sources) files += (await flushPendingFiles(deps, source)).length;
  if (files === 0 && !always) return { files, published: false };
  // The workers' re-checks confirm and withdraw removals; the list of them is the archiver's to write,
  // once there is one (an archive without removals has no list, as after a single-process sync).
  const removals = (await deps.recheck?.countRemoved())?.size ?? 0;
  if (removals > 0 || (await deps.archive.read(REMOVED_LIST_PATH)) !== undefined) await writeRemovedList(deps, config.sources);
  await writeArchiveReadme(deps, config.sources);
  const published = await publishUnattended(context);
  if (files > 0) logger.info(`archiver: ${files} file(s) written${published ? ', published' : ''}`);
  return { files, published };
}

/**
 * runAllRoles is `run` on PostgreSQL: a worker, an archiver (which leads or waits) and the web reader
 * in one process until `signal`; other processes and machines may run more of each.
 */
export async function runAllRoles(config: Config, options: RunOptions): Promise<{ failedRounds: number }> {
  const { logger, signal, hooks } = options;
  const reader = config.server.enabled && options.startWeb ? await openReaderContext(config, { logger, clock: options.clock }) : undefined;
  let failedRounds = 0;
  try {
    const web = reader && options.startWeb ? await options.startWeb(reader) : undefined;
    if (web) hooks?.onListening?.(web.url);
    try {
      // One role failing stops the other, so the process ends (and is restarted) as a whole.
      const stop = new AbortController();
      const both = AbortSignal.any([signal, stop.signal]);
      const stopOnFailure = <T>(role: Promise<T>): Promise<T> =>
        role.catch((error: unknown) => {
          stop.abort();
          throw error;
        });
      await Promise.all([
        stopOnFailure(
          runWorker(config, {
            logger,
            clock: options.clock,
            signal: both,
            hooks: {
              onRound: (round) => {
                if (round.failed > 0) failedRounds++;
                hooks?.onRound?.({ ...round, published: false });
              },
            },
          }),
        ),
        stopOnFailure(runArchiver(config, { logger, clock: options.clock, signal: both })),
      ]);
    } finally {
      await web?.close();
    }
  } finally {
    await reader?.close();
  }
  return { failedRounds };
}
