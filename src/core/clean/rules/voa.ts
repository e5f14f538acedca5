import type { SiteRule } from '../types.js';

/** VOA_RULE cleans VOA 美国之音 bodies: empty teaser links are left to the generic pruning; related boxes go. */
export const VOA_RULE: SiteRule = {
  site: 'voa',
  sourceIds: ['voa'],
  hosts: ['voachinese.com', 'voanews.com', 'voacantonese.com'],
  remove: [
    { name: 'related-reading', selector: '.wsw__embed, .media-block-wrap', text: /^(?:相关|延伸阅读)/ },
    { name: 'related-reading', selector: 'p', text: /^(?:相关新闻|延伸阅读)[:：]?\s*\S/, linksOnly: true, needle: '相关' },
  ],
};
