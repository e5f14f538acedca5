import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { NewsmirrorError, environmentError, isNewsmirrorError, redactText } from '../core/errors.js';
import type { ArchiveLeadership, ArchiveWriter, Clock, Logger, WorkerLeases, WorkLeases, MediaBlobs, MediaStateStore, RecheckStore, SearchIndex, Store } from '../core/ports.js';
import type { PipelineDeps } from '../core/pipeline/index.js';
import { createHttpClient } from '../adapters/http/index.js';
import { guardSqliteErrors, openSqliteRecheckStore, openSqliteStore, openSqliteWorkLeases } from '../adapters/store/sqlite/index.js';
import { createArchiveWriter, removeStaleTemporaries } from '../adapters/archive/index.js';
import { acquireLock, type Lock } from '../adapters/lock/index.js';
import { openPostgresLeadership, openPostgresRecheckStore, openPostgresStore, openPostgresWorkLeases } from '../adapters/store/postgres/index.js';
import {
  createBlobMediaSink,
  createImageHosts,
  createImageMirror,
  createImageQueue,
  openPostgresMediaBlobs,
  openPostgresMediaState,
  openSqliteMediaBlobs,
  openSqliteMediaState,
} from '../adapters/media/index.js';
import { openPostgresSearchIndex, openSqliteSearchIndex, type PostgresSearchIndex } from '../adapters/search/index.js';

/**
 * ReaderContext is what a command that only reads the store needs (`status`, `search`, `serve`):
 * the ports over the configured database, the clock and the logger.
 */
export interface ReaderContext {
  config: Config;
  store: Store;
  search: SearchIndex;
  /** PostgreSQL: the refill of the search a key migration left owed (`newsmirror reindex` clears it). */
  searchRefill?: Pick<PostgresSearchIndex, 'refillOwed' | 'refilled'>;
  /** Re-check schedule and removals. */
  recheck: RecheckStore;
  /** Retry state of mirrored images; absent when `media.enabled` is false. */
  mediaState?: MediaStateStore;
  /** Image bytes a worker downloaded, until the archiver writes them out; absent when `media.enabled` is false. */
  mediaBlobs?: MediaBlobs;
  clock: Clock;
  logger: Logger;
  close(): Promise<void>;
}

/** AppContext is everything a command that syncs or writes the archive needs, built once from the config. */
export interface AppContext extends ReaderContext {
  deps: PipelineDeps;
  /** A worker's leases on per-item work (re-checks, images), shared with every other worker; absent in other roles. */
  work?: WorkerLeases;
}

/** workerOwner names this process in the leases it holds: host, pid and a random part (pids repeat). */
export function workerOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** openWorkLeases opens the per-item work leases over the configured database. */
async function openWorkLeases(config: Config): Promise<WorkLeases> {
  const target = databaseOf(config.database);
  if (target.engine === 'sqlite') return openSqliteWorkLeases(target.file);
  return openPostgresWorkLeases(target.url, target.schema === undefined ? {} : { schema: target.schema });
}

/**
 * WORKER_ARCHIVE is a worker's ArchiveWriter: the archive is the archiver's alone, so a write from a
 * worker is a bug that must fail loudly rather than leave a file on the worker's disk.
 */
const WORKER_ARCHIVE: ArchiveWriter = {
  write: (path) => Promise.reject(new NewsmirrorError('internal', 'archive', `worker: ${path}: a worker writes no archive file (the archiver does)`)),
  read: async () => undefined,
  list: async () => [],
};

/** SYSTEM_CLOCK reads the real time; tests inject their own Clock instead. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** A URL rather than a file path: the database lives on a server. */
const DATABASE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/**
 * DatabaseTarget is what the config's `database` names: a SQLite file, or a PostgreSQL server and
 * optionally the schema that holds newsmirror's tables (`?schema=NAME` in the URL; default: the
 * server's search path), so that several mirrors can share one database.
 */
export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; schema?: string };

/**
 * databaseOf reads the config's `database`: a `postgres://` (or `postgresql://`) URL is a PostgreSQL
 * server, a path is a SQLite file, and any other URL is a config error rather than a SQLite file in a
 * folder named after the URL's scheme.
 */
export function databaseOf(database: string): DatabaseTarget {
  if (POSTGRES_URL.test(database)) return postgresTarget(database);
  const scheme = DATABASE_URL.exec(database)?.[0];
  if (scheme === undefined) return { engine: 'sqlite', file: database };
  // Only the scheme is shown: the rest of the URL may hold a password.
  throw new NewsmirrorError('config-invalid', 'config', `database: ${scheme}… is neither a SQLite file path nor a PostgreSQL URL`, {
    hint: 'set `database` to a SQLite file path (./newsmirror.db) or a postgres:// URL',
  });
}

function postgresTarget(database: string): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(database);
  } catch {
    throw new NewsmirrorError('config-invalid', 'config', `database: ${redactText(database)} is not a valid PostgreSQL URL`, {
      hint: 'use postgres://user:password@host:5432/database',
    });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { engine: 'postgres', url: database };
  url.searchParams.delete('schema');
  return { engine: 'postgres', url: url.toString(), schema };
}

/** describeDatabase names the database for messages, without the password a URL may carry. */
export function describeDatabase(database: string): string {
  const target = databaseOf(database);
  return target.engine === 'sqlite' ? target.file : redactText(target.url);
}

/**
 * sqliteFileOf returns the SQLite file the config's `database` names, for what only a SQLite file
 * has (moving a damaged file aside); a PostgreSQL URL is a usage error there.
 */
export function sqliteFileOf(database: string): string {
  const target = databaseOf(database);
  if (target.engine === 'sqlite') return target.file;
  throw new NewsmirrorError('usage', 'store', `database: ${redactText(target.url)} is a PostgreSQL server, not a SQLite file`, {
    hint: 'this step applies to a SQLite store only',
  });
}

type StorePorts = Pick<ReaderContext, 'store' | 'search' | 'searchRefill' | 'recheck' | 'mediaState' | 'mediaBlobs' | 'close'>;

/** openSqlitePorts opens the store, its search index, the re-check state and (with media on) the image state in one SQLite file. */
function openSqlitePorts(config: Config, file: string, clock: Clock, logger: Logger): StorePorts {
  const opened: { close(): Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    for (const port of [...opened].reverse()) await port.close();
  };
  // The three ports share one SQLite file: a full disk or a damaged file is the same problem in each.
  const guarded = <T extends { close(): Promise<void> }>(open: () => T): T => {
    let port: T;
    try {
      port = open();
    } catch (error) {
      throw isNewsmirrorError(error) ? error : environmentError('store', 'store', 'cannot open SQLite database', file, error);
    }
    opened.push(port);
    return guardSqliteErrors(port, file);
  };
  try {
    const store = guarded(() => openSqliteStore(file, { clock }));
    const onRebuild = (table: string, documents: number): void =>
      logger.info(`search: building ${table} from ${documents} indexed article(s), once after an upgrade; other processes on this database wait for it`, { table, documents });
    const search = guarded(() => openSqliteSearchIndex(file, { onRebuild }));
    const recheck = guarded(() => openSqliteRecheckStore(file));
    const mediaState = config.media.enabled ? guarded(() => openSqliteMediaState(file)) : undefined;
    const mediaBlobs = config.media.enabled ? guarded(() => openSqliteMediaBlobs(file)) : undefined;
    return { store, search, recheck, mediaState, mediaBlobs, close };
  } catch (error) {
    void close().catch(() => undefined);
    throw error;
  }
}

/**
 * openPostgresPorts opens the same three ports on a PostgreSQL server; each applies the versioned
 * migrations under the advisory lock, so processes starting together migrate once.
 */
async function openPostgresPorts(config: Config, target: { url: string; schema?: string }, clock: Clock): Promise<StorePorts> {
  const opened: { close(): Promise<void> }[] = [];
  const close = async (): Promise<void> => {
    for (const port of [...opened].reverse()) await port.close();
  };
  const track = <T extends { close(): Promise<void> }>(port: T): T => {
    opened.push(port);
    return port;
  };
  try {
    const options = target.schema === undefined ? { clock } : { clock, schema: target.schema };
    const store = track(await openPostgresStore(target.url, options));
    const search = track(await openPostgresSearchIndex(target.url, options));
    const recheck = track(await openPostgresRecheckStore(target.url, options));
    const mediaState = config.media.enabled ? track(await openPostgresMediaState(target.url, options)) : undefined;
    const mediaBlobs = config.media.enabled ? track(await openPostgresMediaBlobs(target.url, options)) : undefined;
    return { store, search, searchRefill: search, recheck, mediaState, mediaBlobs, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** openStorePorts opens the store, its search index, the re-check state and (with media on) the image state over the configured database. */
function openStorePorts(config: Config, clock: Clock, logger: Logger): Promise<StorePorts> {
  const target = databaseOf(config.database);
  return target.engine === 'sqlite' ? Promise.resolve(openSqlitePorts(config, target.file, clock, logger)) : openPostgresPorts(config, target, clock);
}

/** openReaderContext builds the ports a reading command needs from the config (the composition root). */
export async function openReaderContext(config: Config, options: { logger: Logger; clock?: Clock }): Promise<ReaderContext> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const ports = await openStorePorts(config, clock, options.logger);
  const owed = await ports.searchRefill?.refillOwed().catch(async (error: unknown) => {
    await ports.close();
    throw error;
  });
  if (owed !== undefined) {
    options.logger.warn(`search: the search index is empty since an upgrade of its keys (PostgreSQL migrations 0011, 0013, 0016): searches miss the ${owed.articles} article(s) stored before it until \`newsmirror reindex\` has run`, {
      articles: owed.articles,
      since: new Date(owed.since).toISOString(),
    });
  }
  return { config, clock, logger: options.logger, ...ports };
}

/**
 * leadArchiveNow takes the archive's leadership on PostgreSQL without waiting, for a command that
 * writes the archive beside the roles (`sync`, `publish`, …): the archiver holds it while it leads,
 * and the archive's lock file alone does not keep it off, since the archiver never takes that file.
 */
async function leadArchiveNow(target: { url: string; schema?: string }, purpose: string): Promise<ArchiveLeadership> {
  const leadership = await openPostgresLeadership(target.url, target.schema === undefined ? {} : { schema: target.schema });
  try {
    if (await leadership.acquire(AbortSignal.abort())) return leadership;
  } catch (error) {
    await leadership.close();
    throw error;
  }
  await leadership.close();
  throw new NewsmirrorError('locked', 'cli', `${purpose}: another newsmirror on this database (an archiver, \`run\`, or a command that writes the archive) holds the archive`, {
    hint: 'wait for it, or stop the archiver first; beside a running archiver, `worker --once` stores what a sync would and the archiver writes it',
  });
}

/**
 * openContext builds every adapter from the config (the composition root). With `lock`, it first takes
 * the archive's lock so two syncs never write one archive (on PostgreSQL the archive's leadership
 * too, so that no archiver writes beside it), and removes temporaries a killed run left.
 */
export async function openContext(
  config: Config,
  options: {
    logger: Logger;
    clock?: Clock;
    lock?: string;
    /** A `worker` process: it writes no archive file (they are the archiver's), so it needs no archive folder. */
    worker?: boolean;
  },
): Promise<AppContext> {
  const target = databaseOf(config.database);
  let lock: Lock | undefined;
  try {
    if (options.worker !== true) await mkdir(config.archive, { recursive: true });
    if (options.lock) lock = await acquireLock(join(config.archive, '.newsmirror.lock'), options.lock);
  } catch (error) {
    throw isNewsmirrorError(error) ? error : environmentError('archive', 'archive', 'cannot use the archive folder', config.archive, error);
  }
  let ports: ReaderContext | undefined;
  let leadership: ArchiveLeadership | undefined;
  let work: WorkerLeases | undefined;
  try {
    if (options.lock && target.engine === 'postgres') leadership = await leadArchiveNow(target, options.lock);
    if (lock) await removeStaleTemporaries(config.archive);
    ports = await openReaderContext(config, options);
    if (options.worker === true) work = { work: await openWorkLeases(config), owner: workerOwner(), leaseMs: config.workers.leaseSeconds * 1000 };
    const http = createHttpClient({
      userAgent: config.network.userAgent,
      proxy: config.network.proxy,
      timeoutSeconds: config.network.timeoutSeconds,
      concurrency: config.network.concurrency,
      perHost: config.network.perHost,
      allowPrivateNetworks: config.network.allowPrivateNetworks,
      maxBytes: config.network.maxBytes,
      retries: config.network.retries,
    });
    // Image downloads get the client's per-host bound in front of it, so an image's own timeout runs
    // while its request is out rather than while it queues behind a host that does not answer.
    const hosts = createImageHosts({ perHost: config.network.perHost, concurrency: config.network.concurrency, breakerFailures: config.media.breakerFailures });
    // A worker keeps image bytes in the store (the archiver writes them out); other roles write them below the media root.
    const where = options.worker === true && ports.mediaBlobs ? { sink: createBlobMediaSink(ports.mediaBlobs) } : { root: config.media.dir ?? config.archive };
    const media = ports.mediaState
      ? createImageMirror({
          http,
          ...where,
          linkBase: config.media.linkBase ?? (config.media.dir ? relative(config.archive, config.media.dir) : undefined),
          maxImageBytes: config.media.maxImageBytes,
          maxArticleBytes: config.media.maxArticleBytes,
          timeoutMs: config.media.timeoutSeconds * 1000,
          hosts,
          clock: ports.clock,
          state: ports.mediaState,
          leases: work,
        })
      : undefined;
    const deps: PipelineDeps = {
      search: ports.search,
      recheck: ports.recheck,
      media,
      images: media ? createImageQueue({ mirror: media, hosts, drainMs: config.media.drainSeconds * 1000, leases: work }) : undefined,
      http,
      store: ports.store,
      archive: options.worker === true ? WORKER_ARCHIVE : createArchiveWriter(config.archive),
      filesByArchiver: options.worker === true,
      clock: ports.clock,
      logger: options.logger,
      timeZone: config.timezone,
      schedule: { minIntervalMs: config.schedule.minIntervalMinutes * 60_000, maxIntervalMs: config.schedule.maxIntervalMinutes * 60_000 },
      limits: config.limits,
    };
    const closePorts = ports.close;
    return {
      ...ports,
      deps,
      work,
      close: async () => {
        await http.close();
        await work?.work.close();
        await closePorts();
        await leadership?.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await work?.work.close();
    await ports?.close();
    await leadership?.close();
    await lock?.release();
    throw error;
  }
}
