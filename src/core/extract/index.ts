export { extractArticle } from './extract.js';
export type { ExtractMethod, ExtractOptions, ExtractResult } from './extract.js';
export { EXTRACT_RULES } from './rules/index.js';
export type { ExtractRule } from './rules/index.js';
