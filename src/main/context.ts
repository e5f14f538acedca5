import { join, relative } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import type { Clock, Logger, SearchIndex, Store } from '../core/ports.js';
import type { PipelineDeps } from '../core/pipeline/index.js';
import { createHttpClient } from '../adapters/http/index.js';
import { openSqliteStore } from '../adapters/store/sqlite/index.js';
import { createArchiveWriter, removeStaleTemporaries } from '../adapters/archive/index.js';
import { acquireLock, type Lock } from '../adapters/lock/index.js';
import { createMediaMirror, openSqliteMediaState } from '../adapters/media/index.js';
import { openSqliteSearchIndex } from '../adapters/search/index.js';

/** AppContext is everything a command needs, built once from the config. */
export interface AppContext {
  config: Config;
  deps: PipelineDeps;
  store: Store;
  search: SearchIndex;
  close(): Promise<void>;
}

/** SYSTEM_CLOCK reads the real time; tests inject their own Clock instead. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/**
 * openContext builds the adapters from the config (the composition root). With `lock`, it first takes
 * the archive's lock so two syncs never write one archive, and removes temporaries a killed run left.
 */
export async function openContext(config: Config, options: { logger: Logger; clock?: Clock; lock?: string }): Promise<AppContext> {
  await mkdir(config.archive, { recursive: true });
  let lock: Lock | undefined;
  if (options.lock) lock = await acquireLock(join(config.archive, '.newsmirror.lock'), options.lock);
  try {
    if (lock) await removeStaleTemporaries(config.archive);
    const store = openSqliteStore(config.database, { clock: options.clock });
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
    const clock = options.clock ?? SYSTEM_CLOCK;
    const mediaState = config.media.enabled ? openSqliteMediaState(config.database) : undefined;
    const media = mediaState
      ? createMediaMirror({
          http,
          root: config.media.dir ?? config.archive,
          linkBase: config.media.linkBase ?? (config.media.dir ? relative(config.archive, config.media.dir) : undefined),
          maxImageBytes: config.media.maxImageBytes,
          maxArticleBytes: config.media.maxArticleBytes,
          clock,
          state: mediaState,
        })
      : undefined;
    const search = openSqliteSearchIndex(config.database);
    const deps: PipelineDeps = {
      search,
      media,
      http,
      store,
      archive: createArchiveWriter(config.archive),
      clock,
      logger: options.logger,
      timeZone: config.timezone,
      schedule: { minIntervalMs: config.schedule.minIntervalMinutes * 60_000, maxIntervalMs: config.schedule.maxIntervalMinutes * 60_000 },
    };
    return {
      config,
      deps,
      store,
      search,
      close: async () => {
        await http.close();
        await mediaState?.close();
        await search.close();
        await store.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
