import { rename, stat } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import { environmentError } from '../core/errors.js';
import { rebuildStore, type RebuildReport } from '../core/pipeline/index.js';
import type { Logger } from '../core/ports.js';
import { describeDatabase, sqliteFileOf, type AppContext } from './context.js';

/**
 * restoreEmptyStore rebuilds the store from the archive files when the store holds no article while
 * the archive does (a store file deleted, emptied or pointed elsewhere): syncing on an empty store
 * would take every article for new and rewrite its file with a new first-seen time. Returns the
 * rebuild's report when it ran, undefined when the store was not empty or the archive holds nothing.
 */
export async function restoreEmptyStore(context: AppContext): Promise<RebuildReport | undefined> {
  const { store, deps, config, logger } = context;
  if ((await store.listRecentArticles({ limit: 1 })).length > 0) return undefined;
  const files = await deps.archive.list('articles');
  // Earlier versions (`<HHmm>-<id>.versions/v<N>.md`) are not articles of their own.
  const articles = files.filter((path) => path.endsWith('.md') && !path.includes('.versions/')).length;
  if (articles === 0) return undefined;
  logger.warn(`store: ${describeDatabase(config.database)} holds no articles but ${config.archive} holds ${articles} article file(s): rebuilding the store from the archive first`);
  const report = await rebuildStore(deps);
  logger.warn(`store: rebuilt from the archive: ${report.articles} article(s) restored, ${report.skipped.length} file(s) skipped`);
  return report;
}

/** SQLITE_COMPANIONS are the files SQLite keeps beside the database in WAL mode. */
const SQLITE_COMPANIONS = ['', '-wal', '-shm'];

/**
 * moveAsideDamagedStore renames a damaged database (with its -wal and -shm) to
 * `<file>.corrupt-<time>` so that a new store can be created in its place; the damaged files are kept
 * for whoever wants to look at them. Returns the new name of the database file.
 */
export async function moveAsideDamagedStore(config: Config, now: number, logger: Logger): Promise<string> {
  const file = sqliteFileOf(config.database);
  const aside = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of SQLITE_COMPANIONS) {
    const exists = await stat(`${file}${suffix}`).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    await rename(`${file}${suffix}`, `${aside}${suffix}`).catch((cause: unknown) => {
      throw environmentError('store', 'store', 'cannot move aside the damaged database', `${file}${suffix}`, cause);
    });
  }
  logger.warn(`store: ${file} is damaged: kept as ${aside}; a new store is recreated from the archive files`);
  return aside;
}
