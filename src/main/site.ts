import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createArchiveWriter } from '../adapters/archive/index.js';
import { environmentError } from '../core/errors.js';
import { exportEpub, type EpubExportOptions, type EpubExportReport } from '../epub/export.js';
import { exportSite, isSitePath, type SiteExportOptions, type SiteExportReport } from '../site/export.js';
import { bundleSearchScript } from '../site/bundle.js';
import type { ReaderContext } from './context.js';

/**
 * exportSiteTo writes the static site of a context's store to `dir` (relative to `cwd`), with images
 * from the configured media folder; files whose bytes are unchanged are left alone.
 */
export async function exportSiteTo(context: ReaderContext, dir: string, options: SiteExportOptions, cwd: string): Promise<SiteExportReport> {
  const { config } = context;
  const mediaRoot = config.media.dir ?? config.archive;
  const out = isAbsolute(dir) ? dir : resolve(cwd, dir);
  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    throw environmentError('archive', 'archive', 'cannot create the site folder', out, error);
  }
  return exportSite(
    {
      store: context.store,
      recheck: context.recheck,
      sources: config.sources.map(({ id, name, url }) => ({ id, name, url })),
      timeZone: config.timezone,
      clock: context.clock,
      // No fsync per file: the site is rebuilt from the store, and an export cut short by a power loss
      // is repaired by the next one (a file is still renamed into place, never seen half written).
      out: createArchiveWriter(out, { syncFiles: false }),
      readMedia: mediaReader(mediaRoot),
      searchScript: await bundleSearchScript(),
      remove: (path) => removeSiteFile(out, path),
    },
    options,
  );
}

/**
 * removeSiteFile deletes one file an earlier export wrote, then the folders that this leaves empty
 * (up to, not including, the site's folder). A file already gone is not an error.
 */
export async function removeSiteFile(root: string, path: string): Promise<void> {
  if (!isSitePath(path)) throw new Error(`export-site: refusing to delete ${path}, which is not a path inside the site`);
  await rm(join(root, path), { force: true });
  for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) {
    try {
      await rmdir(join(root, folder));
    } catch {
      // Not empty (or already gone): the folders above are not empty either.
      return;
    }
  }
}

/** mediaReader reads mirrored media below `mediaRoot`; a missing file is undefined. */
function mediaReader(mediaRoot: string): (path: string) => Promise<Uint8Array | undefined> {
  // Paths come from the body parsers: `media/<2 hex>/<sha256>.<ext>`, never anything that climbs out.
  return async (path) => {
    try {
      return await readFile(join(mediaRoot, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
}

/**
 * exportEpubTo writes the EPUB book of a context's store to `file` (relative to `cwd`): streamed into a
 * temporary file beside it, renamed over `file` only once the book is complete.
 */
export async function exportEpubTo(context: ReaderContext, file: string, options: EpubExportOptions, cwd: string): Promise<EpubExportReport> {
  const { config } = context;
  const target = isAbsolute(file) ? file : resolve(cwd, file);
  const temporary = `${target}.tmp-${process.pid}`;
  let fd: number;
  try {
    await mkdir(dirname(target), { recursive: true });
    fd = openSync(temporary, 'w');
  } catch (error) {
    throw environmentError('archive', 'archive', 'cannot create the book', target, error);
  }
  try {
    const report = await exportEpub(
      {
        store: context.store,
        sources: config.sources.map(({ id, name }) => ({ id, name })),
        timeZone: config.timezone,
        clock: context.clock,
        readMedia: mediaReader(config.media.dir ?? config.archive),
        // Synchronous writes: the zip hands over its chunks synchronously, and this keeps none of them queued.
        sink: (chunk) => {
          for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written);
        },
      },
      options,
    );
    closeSync(fd);
    await rename(temporary, target);
    return report;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed when the rename failed.
    }
    await rm(temporary, { force: true });
    throw error;
  }
}
