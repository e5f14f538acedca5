export { openCleanThread } from './clean-pool.js';
export { openArchiveThread } from './archive-pool.js';
export type { ArchiveThreadOptions, ThreadedArchiveWriter } from './archive-pool.js';
export { openSearchThread } from './search-pool.js';
export type { ThreadedSearchIndex } from './search-pool.js';
