/**
 * Media mirroring (issue 5). Wiring, for the composition root and the pipeline:
 * - build one mirror per run over the SAME HttpClient as feed fetching (per-host limits are shared):
 *   `createImageMirror({ http, root: config.media?.dir ?? config.archive, clock, state: openSqliteMediaState(config.database) })`;
 * - after clean + sanitize and before the article file is rendered, call `mirrorArticleImages` with
 *   the article's path, body, enclosures, lead image and the source's Referer, and store the returned
 *   `html` as the body (a body change of the same version, `Store.updateBody`, not an edit);
 * - each sync, re-run `mirrorArticleImages` on the ids `retryPending(now)` returns; `status` shows
 *   `missingImagesBySource()`.
 */
export { createImageMirror } from './mirror.js';
export type { ImageMirrorOptions } from './mirror.js';
export { createMemoryMediaState } from './state.js';
export { MEDIA_STATE_SCHEMA, openSqliteMediaState } from './sqlite-state.js';
export type { SqliteMediaStateOptions } from './sqlite-state.js';
export { openPostgresMediaState } from './postgres-state.js';
export type { PostgresMediaStateOptions } from './postgres-state.js';
