/**
 * clean: boilerplate rules, lazy images, proxied and relative URLs, then the allowlist sanitizer
 * (always last). Pure: one parse, tree transforms, one serialization.
 */
export { cleanArticle, rulesFor } from './cleaner.js';
export { sanitizeHtml, FRAME_HOSTS, FRAME_SANDBOX } from './sanitizer.js';
export { GENERIC_RULE, CLEAN_RULES } from './rules/index.js';
export { cleanTitle, TITLE_RULES, type CleanTitle, type TitleRule } from './titles/index.js';
export type { CleanOptions, CleanResult, LeadingTextRule, RemoveRule, SanitizeOptions, CleanRule } from './types.js';
