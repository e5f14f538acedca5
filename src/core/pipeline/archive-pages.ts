import type { Source } from '../model/index.js';
import { renderArchiveReadme, renderRemovedList, REMOVED_LIST_PATH } from '../render/index.js';
import { renderStatus } from '../render/status.js';
import { readSourceHealth } from './health.js';
import type { PipelineDeps } from './deps.js';

function healthRows(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]) {
  return readSourceHealth(deps.store, sources, deps.clock.now());
}

/** writeArchiveReadme renders the archive's root README (sources, counts, removals, newest article, health) from the store. */
export async function writeArchiveReadme(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  const removed = (await deps.recheck?.countRemoved()) ?? new Map<string, number>();
  const rows = (await healthRows(deps, sources)).map((row) => ({ ...row, removed: removed.get(row.id) ?? 0 }));
  await deps.archive.write('README.md', renderArchiveReadme(rows, { timeZone: deps.timeZone }));
}

/**
 * writeRemovedList renders `lists/removed.md` from the standing removals, newest first. Written only
 * once there is a re-check store; unchanged bytes are not rewritten.
 */
export async function writeRemovedList(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]): Promise<void> {
  if (deps.recheck === undefined) return;
  const names = new Map(sources.map((source) => [source.id, source.name]));
  const removed = await deps.recheck.listRemoved({ limit: Number.MAX_SAFE_INTEGER });
  await deps.archive.write(REMOVED_LIST_PATH, renderRemovedList(removed, (id) => names.get(id) ?? id, deps.timeZone));
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
