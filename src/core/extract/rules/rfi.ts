import type { ExtractRule } from './types.js';

/**
 * RFI_RULE is Radio France Internationale (rfi.fr/cn). Body container and inserts verified on a captured
 * article page (testdata/rfi-20220206.html) and on 1,011 feedx bodies in the dutymachine corpus.
 */
export const RFI_RULE: ExtractRule = {
  site: 'rfi',
  hosts: ['rfi.fr'],
  // The chapo is the lead paragraph, printed above the body; both are the article.
  content: ['.t-content__chapo, .t-content__body'],
  remove: ['.m-interstitial', '.o-self-promo', '.m-block-ad', '.m-share-bar', '.t-content__tags', '[data-selfpromo-app]', '[data-selfpromo-newsletter]'],
};
