export { runMediaStateContract } from './media-state-contract.js';
export type { MediaStateHarness } from './media-state-contract.js';
