import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.js';
import type { ArchiveHistory, BodyCleaner, ImportTally } from '../core/import/index.js';
import { DUTYMACHINE_TREES, isJekyllPostPath, parseDutyMachinePath } from '../core/import/index.js';
import { openGitHistory, openImportTally } from '../adapters/git/index.js';
import { openArchiveThread, openCleanThread, openSearchThread, type ThreadedArchiveWriter, type ThreadedSearchIndex } from '../adapters/threads/index.js';
import type { Config } from '../config/index.js';
import { databaseOf } from './context.js';

/**
 * openDutyMachineHistory opens the history of a local clone of a duty-machine archive, reading only
 * its article files (and a fork's Jekyll posts). A path that is no clone is a usage error naming it.
 */
export async function openDutyMachineHistory(dir: string): Promise<ArchiveHistory> {
  const isClone = await stat(join(dir, '.git')).then(() => true, () => false);
  if (!isClone) {
    throw new NewsmirrorError('usage', 'cli', `${dir} is not a local git clone`, { hint: 'clone the old archive first (git clone URL) and give the clone\'s folder' });
  }
  return openGitHistory(dir, { folders: DUTYMACHINE_TREES, accept: (path) => parseDutyMachinePath(path) !== undefined || isJekyllPostPath(path) });
}

/** openDutyMachineTally opens the on-disk tally an import counts its distinct articles in; close it after the import. */
export function openDutyMachineTally(): ImportTally {
  return openImportTally();
}

/** openDutyMachineCleaner starts the thread that cleans an import's bodies beside its walk; close it after the import. */
export function openDutyMachineCleaner(): BodyCleaner {
  return openCleanThread();
}

/**
 * openDutyMachineArchive is the import's writer of the archive at `root`: the sync's writer, on a
 * thread of its own, so the files' system calls leave the walk's thread free. Its writes do not fsync
 * one by one: pass its `sync` as the import's `settle`, which makes each flush durable at once before
 * the flush clears its marks. Close it after the import.
 */
export function openDutyMachineArchive(root: string): ThreadedArchiveWriter {
  return openArchiveThread(root, { deferSync: true });
}

/**
 * openDutyMachineSearch is the import's search index on SQLite: the same index on a thread of its own,
 * over its own connection to the store's file, so that FTS5's work leaves the walk's thread (pass it
 * as the import's `search` and `indexBeside`). On PostgreSQL, undefined: the server does that work in
 * its own processes already. Close it after the import.
 */
export function openDutyMachineSearch(config: Pick<Config, 'database'>): ThreadedSearchIndex | undefined {
  const target = databaseOf(config.database);
  return target.engine === 'sqlite' ? openSearchThread(target.file) : undefined;
}
