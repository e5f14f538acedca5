export { runStoreContract } from './store-contract.js';
export type { StoreHarness } from './store-contract.js';
