import type { CleanRule } from '../types.js';

/** REUTERS_RULE cleans Reuters 中文 bodies: the trust-principles badge and image-viewer chrome. */
export const REUTERS_RULE: CleanRule = {
  site: 'reuters',
  sourceIds: ['reuters'],
  hosts: ['reuters.com'],
  remove: [
    { name: 'trust-badge', selector: '[class*="trustBadgeContainer"]' },
    { name: 'image-chrome', selector: '.Image_expand-button, .LazyImage_fallback' },
  ],
};
