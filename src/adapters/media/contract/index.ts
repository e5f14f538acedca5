export { runMediaStateContract } from './media-state-contract.js';
export type { MediaStateHarness } from './media-state-contract.js';
export { blobOf, runMediaBlobsContract } from './media-blobs-contract.js';
export type { MediaBlobsHarness } from './media-blobs-contract.js';
