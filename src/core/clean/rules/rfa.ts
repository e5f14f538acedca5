import type { CleanRule } from '../types.js';

/** RFA_RULE cleans RFA 自由亚洲电台 bodies: the lists of related-story links between paragraphs, zoom icons. */
export const RFA_RULE: CleanRule = {
  site: 'rfa',
  sourceIds: ['rfa'],
  hosts: ['rfa.org'],
  remove: [
    { name: 'related-reading', selector: 'ul:has(a.external-link)', linksOnly: true },
    // The zoom icon links to the same image the figure already shows.
    { name: 'image-chrome', selector: '#zoomattribute, img[src*="/icon-zoom."]' },
  ],
};
