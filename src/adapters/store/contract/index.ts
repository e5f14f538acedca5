export { runStoreContract } from './store-contract.js';
export type { StoreHarness } from './store-contract.js';
export { runLeaseContract } from './lease-contract.js';
export type { LeaseHarness } from './lease-contract.js';
export { runStoreTablesContract } from './tables-contract.js';
export type { StoreTablesHarness } from './tables-contract.js';
export { runRecheckContract } from './recheck-contract.js';
export type { RecheckHarness } from './recheck-contract.js';
