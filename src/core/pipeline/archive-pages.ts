import type { Source } from '../model/index.js';
import { renderArchiveReadme } from '../render/index.js';
import { renderStatus } from '../render/status.js';
import { readSourceHealth } from './health.js';
import type { PipelineDeps } from './deps.js';

function healthRows(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]) {
  return readSourceHealth(deps.store, sources, deps.clock.now());
}

/** writeArchiveReadme renders the archive's root README (sources, counts, newest article, health) from the store. */
export async function writeArchiveReadme(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  await deps.archive.write('README.md', renderArchiveReadme(await healthRows(deps, sources), { timeZone: deps.timeZone }));
}

/**
 * writeStatusFile renders STATUS.md (last success, newest item, last 24 hours, missing images, current
 * error). It changes with every fetch, so it is written just before a publish rather than by each
 * sync: a sync with nothing new then writes no file at all.
 */
export async function writeStatusFile(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  const missing = (await deps.media?.missingImagesBySource()) ?? new Map<string, number>();
  const rows = (await healthRows(deps, sources)).map((row) => ({ ...row, missingImages: missing.get(row.id) ?? 0 }));
  await deps.archive.write('STATUS.md', renderStatus(rows, deps.timeZone));
}
