/**
 * The body of the archive writing thread (see archive-pool.ts): one archive writer, its writes in
 * flight together. With `deferSync`, writes do not fsync; a `sync` request makes every file written
 * since the last one and their folders durable at once: one `syncfs` per file system they lie on
 * (`sync -f`), or, where that command is missing or fails, an fsync of each file, then each folder.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workerData } from 'node:worker_threads';
import { mapLimit } from '../../core/concurrency.js';
import { createArchiveWriter, type ArchiveWriterOptions } from '../archive/index.js';
import { archiveError, syncPath } from '../archive/safe-fs.js';
import { serveThread } from './thread.js';
import type { ArchiveThreadRequest } from './archive-pool.js';

/** SYNCS_IN_FLIGHT keeps the disk busy during a sync without one thread per file. */
const SYNCS_IN_FLIGHT = 16;

const { root, options, deferSync } = workerData as { root: string; options: ArchiveWriterOptions; deferSync: boolean };
// The thread does nothing but write: with deferred syncs no write waits on the disk, so they block
// (no hand-offs to libuv's thread pool). Writes that fsync, and the deferred syncs below, run several
// at once instead, as each waits on the disk.
const writer = createArchiveWriter(root, deferSync ? { ...options, syncFiles: false, syncDirectories: false, blocking: true } : options);
let unsynced = new Set<string>();

serveThread(async (request: ArchiveThreadRequest): Promise<boolean> => {
  if (request.kind === 'write') {
    const written = await writer.write(request.path, request.content);
    if (written && deferSync) unsynced.add(request.path);
    return written;
  }
  const paths = [...unsynced];
  unsynced = new Set();
  const folders = [...new Set(paths.map((path) => dirname(path)))];
  try {
    if (!(await syncFileSystems(folders))) {
      // The files' bytes first, then the folders that hold their new names.
      await mapLimit(paths, SYNCS_IN_FLIGHT, (path) => syncPath(join(root, path), { missingOk: true }));
      await mapLimit(folders, SYNCS_IN_FLIGHT, (folder) => syncPath(join(root, folder), { missingOk: true }));
    }
  } catch (cause) {
    for (const path of paths) unsynced.add(path);
    throw archiveError('cannot sync the files written', cause);
  }
  return true;
});

/**
 * syncFileSystems runs `sync -f` (Linux's syncfs) on one folder of each file system the folders lie
 * on, which makes every file and folder written there durable. One call per file system costs far
 * less than an fsync per file: an import's flush wrote tens of thousands, and their fsyncs took a
 * fifth of the import's processor time (D26). Returns false when the command is missing or fails,
 * for the caller to fsync each file.
 */
async function syncFileSystems(folders: string[]): Promise<boolean> {
  const byDevice = new Map<number, string>();
  for (const folder of folders) {
    const device = statSync(join(root, folder), { throwIfNoEntry: false })?.dev;
    if (device !== undefined && !byDevice.has(device)) byDevice.set(device, join(root, folder));
  }
  if (byDevice.size === 0) return true;
  return new Promise((resolve) => {
    execFile('sync', ['-f', ...byDevice.values()], (error) => resolve(error === null));
  });
}
