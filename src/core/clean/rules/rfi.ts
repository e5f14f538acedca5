import type { CleanRule } from '../types.js';

/** RFI_RULE cleans RFI 法广 bodies: share bars (2023 markup, see the seed), self-promo placeholders, tms ad slots, related links. */
export const RFI_RULE: CleanRule = {
  site: 'rfi',
  sourceIds: ['rfi'],
  hosts: ['rfi.fr', 'rfi.my'],
  remove: [
    { name: 'share-bar', selector: 'div', text: /^分享\s*[:：]?$/, needle: '分享' },
    { name: 'share-bar', selector: '[data-root-share], share-button, share-modal' },
    { name: 'self-promo', selector: '[data-selfpromo-newsletter], [data-selfpromo-app], .o-self-promo', text: /^$/ },
    { name: 'ad-slot', selector: '.m-interstitial, .m-block-ad, [data-tms-ad-type]' },
    { name: 'related-reading', selector: 'p', text: /^相关报道\s*\S/, needle: '相关报道' },
  ],
};
