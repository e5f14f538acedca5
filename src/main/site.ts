import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { createArchiveWriter } from '../adapters/archive/index.js';
import { environmentError } from '../core/errors.js';
import { exportSite, type SiteExportOptions, type SiteExportReport } from '../site/export.js';
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
      sources: config.sources.map(({ id, name, url }) => ({ id, name, url })),
      timeZone: config.timezone,
      clock: context.clock,
      out: createArchiveWriter(out),
      // Paths come from mediaOf: `media/<2 hex>/<sha256>.<ext>`, never anything that climbs out.
      readMedia: async (path) => {
        try {
          return await readFile(join(mediaRoot, path));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        }
      },
      searchScript: await bundleSearchScript(),
    },
    options,
  );
}
