import type { ExtractRule } from './types.js';

/**
 * reuters is Reuters 路透中文. `.StandardArticleBody_body` and its trust-badge footer are taken from
 * 593 article bodies captured from the site in the dutymachine corpus.
 */
export const reuters: ExtractRule = {
  site: 'reuters',
  hosts: ['reuters.com'],
  content: ['.StandardArticleBody_body'],
  remove: ['.StandardArticleBody_trustBadgeContainer'],
};
