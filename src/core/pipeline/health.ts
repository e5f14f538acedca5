import type { Health, Source, SourceState } from '../model/index.js';
import type { SourceSummary, Store } from '../ports.js';
import { isStale } from '../schedule/index.js';

export type { Health };

/**
 * RECENT_PUBLISH_TIMES is how many of a source's newest dated items tell its publishing rhythm, which
 * sets how old its newest item may grow before the source is stale.
 */
export const RECENT_PUBLISH_TIMES = 20;

/**
 * assessHealth says whether a source works: `never` before its first attempt, `failing` while its last
 * attempt failed, `stale` when it answers but its newest item is far older than its rhythm allows (the
 * feedx mirrors sometimes keep serving an old document with 200), `ok` otherwise.
 */
export function assessHealth(state: SourceState | undefined, summary: SourceSummary | undefined, now: number, recentPublishTimes: number[] = []): Health {
  if (!state?.lastAttemptAt) return 'never';
  if (state.consecutiveFailures > 0) return 'failing';
  if (isStale({ now, newestItemAt: summary?.newestPublished, lastSuccessAt: state.lastSuccessAt, recentPublishTimes })) return 'stale';
  return 'ok';
}

/** HealthSource is what readSourceHealth reads from the store (a caller may cache the summaries). */
export type HealthSource = Pick<Store, 'summarizeSources' | 'listSourceStates' | 'listArticles'>;

/** SourceHealthRow is one source's health with what it was judged on. */
export interface SourceHealthRow {
  id: string;
  name: string;
  /** Counts and newest item; zero counts for a source with nothing stored. */
  summary: SourceSummary;
  state?: SourceState;
  health: Health;
  lastError?: string;
}

/**
 * readSourceHealth is the one verdict on every source's health: README, STATUS.md, `status` and
 * /health all show what it returns, so they cannot disagree.
 */
export async function readSourceHealth(store: HealthSource, sources: readonly Pick<Source, 'id' | 'name'>[], now: number): Promise<SourceHealthRow[]> {
  const [summaries, states] = await Promise.all([store.summarizeSources(now), store.listSourceStates()]);
  const summaryById = new Map(summaries.map((summary) => [summary.sourceId, summary]));
  const stateById = new Map(states.map((state) => [state.sourceId, state]));
  return Promise.all(
    sources.map(async (source): Promise<SourceHealthRow> => {
      const state = stateById.get(source.id);
      const summary = summaryById.get(source.id) ?? { sourceId: source.id, articleCount: 0, articlesLast24h: 0 };
      const recent = await store.listArticles(source.id, { limit: RECENT_PUBLISH_TIMES });
      const health = assessHealth(state, summary, now, recent.filter((item) => !item.dateMissing).map((item) => item.published));
      return { id: source.id, name: source.name, summary, state, health, lastError: state?.lastError };
    }),
  );
}
