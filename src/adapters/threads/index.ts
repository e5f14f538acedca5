export { openCleanThread } from './clean-pool.js';
