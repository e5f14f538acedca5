export { parseCacheControlMaxAge, parseRetryAfter } from './http-hints.js';
export {
  planNextCheck,
  formatDuration,
  DEFAULT_BASE_INTERVAL_MS,
  DEFAULT_MIN_INTERVAL_MS,
  DEFAULT_MAX_INTERVAL_MS,
  MAX_SERVER_HINT_MS,
} from './plan.js';
export type { PlanNextCheckInput, NextCheckPlan } from './plan.js';
export { isStale, staleThresholdMs, STALE_FLOOR_MS, STALE_GAP_FACTOR } from './stale.js';
export type { IsStaleInput } from './stale.js';
export { medianPublishGap, MIN_CADENCE_SAMPLES } from './cadence.js';
