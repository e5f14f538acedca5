export { runSearchContract } from './search-contract.js';
export type { SearchHarness, SearchHarnessOptions } from './search-contract.js';
