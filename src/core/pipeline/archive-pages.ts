import type { Source } from '../model/index.js';
import { renderArchiveReadme } from '../render/index.js';
import { renderStatus } from '../render/status.js';
import { assessHealth } from './health.js';
import type { PipelineDeps } from './deps.js';

/** RECENT_FOR_CADENCE is how many of a source's newest articles its publishing rhythm is read from. */
export const RECENT_FOR_CADENCE = 20;

async function healthRows(deps: PipelineDeps, sources: Pick<Source, 'id' | 'name'>[]) {
  const now = deps.clock.now();
  const summaries = new Map((await deps.store.summarizeSources(now)).map((summary) => [summary.sourceId, summary]));
  const states = new Map((await deps.store.listSourceStates()).map((state) => [state.sourceId, state]));
  return Promise.all(
    sources.map(async (source) => {
      const state = states.get(source.id);
      const summary = summaries.get(source.id) ?? { sourceId: source.id, articleCount: 0, articlesLast24h: 0 };
      const recent = await deps.store.listArticles(source.id, { limit: RECENT_FOR_CADENCE });
      const health = assessHealth(state, summary, now, recent.filter((item) => !item.dateMissing).map((item) => item.published));
      return { id: source.id, name: source.name, summary, health, state, lastError: state?.lastError };
    }),
  );
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
