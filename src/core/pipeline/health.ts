import type { SourceState } from '../model/index.js';
import type { SourceSummary } from '../ports.js';
import { isStale } from '../schedule/index.js';

/** Health is a source's condition as README, STATUS.md, `status` and /health show it. */
export type Health = 'ok' | 'failing' | 'stale' | 'never';

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
