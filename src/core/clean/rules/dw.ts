import type { SiteRule } from '../types.js';

/** DW_RULE cleans DW 德国之声 bodies: 延伸阅读 links, the copyright notice, empty caption holders. */
export const DW_RULE: SiteRule = {
  site: 'dw',
  sourceIds: ['dw'],
  hosts: ['dw.com'],
  remove: [
    { name: 'related-reading', selector: 'p:has(a[rel="ArticleRef"])', text: /^延伸阅读/, linksOnly: true },
    { name: 'copyright-footer', selector: 'p', text: /德国之声版权声明/ },
  ],
};
