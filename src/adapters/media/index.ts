/**
 * Media mirroring (issue 5) and its queue (issue 11). Wiring, for the composition root and the pipeline:
 * - build one mirror per run over the SAME HttpClient as feed fetching (per-host limits are shared),
 *   with its host limits and breakers: `hosts = createImageHosts({ perHost })`,
 *   `createImageMirror({ http, root: config.media?.dir ?? config.archive, clock, hosts, state: openSqliteMediaState(config.database) })`,
 *   and the queue over it: `createImageQueue({ mirror, hosts, drainMs })`;
 * - once an article's text is stored and its file written, `enqueue` its body, enclosures and the
 *   source's Referer; at the end of the run `drain` the queue and store each returned `html` as the
 *   body (a body change of the same version, `Store.updateBody`, not an edit);
 * - each run, enqueue again the ids `retryPending(now)` returns; `status` shows `missingImagesBySource()`.
 * A worker (issue 12) keeps the bytes in the store instead of a disk: `sink: createBlobMediaSink(blobs)`
 * in place of `root`, with `blobs = openSqliteMediaBlobs(file)` or `await openPostgresMediaBlobs(url, { schema })`;
 * the archiver then runs `flushMediaBlobs(blobs, createArchiveWriter(config.media.dir ?? config.archive, { syncDirectories: true }))`.
 */
export { createImageMirror } from './mirror.js';
export type { ImageMirrorOptions, ImageMirrorSettings } from './mirror.js';
export { createBlobMediaSink, createDiskMediaSink } from './sink.js';
export type { MediaSink } from './sink.js';
export { createImageHosts } from './hosts.js';
export type { ImageHosts, ImageHostsOptions } from './hosts.js';
export { createImageQueue } from './queue.js';
export type { ImageQueueOptions } from './queue.js';
export { createMemoryMediaState } from './state.js';
export { MEDIA_STATE_SCHEMA, openSqliteMediaState } from './sqlite-state.js';
export type { SqliteMediaStateOptions } from './sqlite-state.js';
export { openPostgresMediaState } from './postgres-state.js';
export type { PostgresMediaStateOptions } from './postgres-state.js';
export { openSqliteMediaBlobs } from './sqlite-blobs.js';
export type { SqliteMediaBlobsOptions } from './sqlite-blobs.js';
export { openPostgresMediaBlobs } from './postgres-blobs.js';
export type { PostgresMediaBlobsOptions } from './postgres-blobs.js';
export { flushMediaBlobs } from './flush-blobs.js';
export type { FlushMediaBlobsReport } from './flush-blobs.js';
