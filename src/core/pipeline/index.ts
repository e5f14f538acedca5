export { syncSource, syncAll, type ReceivedItem, flushPendingFiles, retryMissingImages, writeSourceLists, writeArchiveReadme, writeStatusFile, type PipelineDeps, type SyncProgress } from './sync.js';
export { needsFullText, SHORT_BODY_CHARS } from './fulltext.js';
export { rebuildStore, type RebuildReport } from './rebuild.js';
export { recleanArticles, type RecleanReport } from './reclean.js';
export { assessHealth, readSourceHealth, RECENT_PUBLISH_TIMES, type Health, type HealthSource, type SourceHealthRow } from './health.js';
export { planCommitMessage, type FileChanges } from './commit-message.js';
