export { openCleanThread } from './clean-pool.js';
export { openArchiveThread } from './archive-pool.js';
export type { ThreadedArchiveWriter } from './archive-pool.js';
