import type { CleanRule } from '../types.js';

/** DW_RULE cleans DW 德国之声 bodies: 延伸阅读 links, the copyright notice, empty caption holders. */
export const DW_RULE: CleanRule = {
  site: 'dw',
  sourceIds: ['dw'],
  hosts: ['dw.com'],
  remove: [
    { name: 'related-reading', selector: 'p', text: /^延伸阅读/, linksOnly: true, needle: 'ArticleRef' },
    { name: 'copyright-footer', selector: 'p', text: /德国之声版权声明/, needle: '版权声明' },
  ],
};
