import type { ExtractRule } from './types.js';

/**
 * REUTERS_RULE is Reuters 路透中文. `.StandardArticleBody_body` and its trust-badge footer are taken from
 * 593 article bodies captured from the site in the dutymachine corpus.
 */
export const REUTERS_RULE: ExtractRule = {
  site: 'reuters',
  hosts: ['reuters.com'],
  content: ['.StandardArticleBody_body'],
  remove: ['.StandardArticleBody_trustBadgeContainer'],
};
