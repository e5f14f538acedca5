import type { CleanRule } from '../types.js';

// Feed-injected date lines as feedx and the old perform.js wrote them as the first element:
// RFI `20/07/2020 - 17:35`, BBC `2020年 7月 20日`, DW/Reuters ISO, VOA RFC 822.
const DATE_LINE =
  /^(?:\d\d\/\d\d\/\d{4} - \d\d:\d\d|\d{4}年 ?\d{1,2}月 ?\d{1,2}日|\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?)?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d (?:GMT|[+-]\d{4}))$/;

const SHARE_LINKS = [
  'a[href*="facebook.com/dialog/share"]',
  'a[href*="facebook.com/sharer"]',
  'a[href^="whatsapp:"]',
  'a[href*="web.whatsapp.com/send"]',
  'a[href*="twitter.com/intent/"]',
  'a[href^="https://x.com/intent/"]',
  'a[href*="service.weibo.com/share"]',
  'a[href*="social-plugins.line.me"]',
  'a[href*="t.me/share"]',
  'a[href*="telegram.me/share"]',
  'a[href*="linkedin.com/shareArticle"]',
  'a[href^="mailto:?"]',
].join(', ');

/**
 * GENERIC_RULE holds the boilerplate every source may carry: feedx's promo footer (on only some items),
 * feed-injected date lines, share links and the usual ad-slot markers.
 */
export const GENERIC_RULE: CleanRule = {
  site: 'generic',
  sourceIds: [],
  hosts: [],
  remove: [
    { name: 'feedx-footer', selector: 'div', text: /^获取更多RSS/, withPreceding: ['hr', 'br'], needle: '获取更多RSS' },
    { name: 'feedx-footer', selector: 'a[href*="//feedx."]', text: /^https?:\/\/feedx\./ },
    { name: 'date-line', selector: 'div, p', firstOnly: true, text: DATE_LINE },
    { name: 'share-links', selector: SHARE_LINKS },
    {
      name: 'ad-slot',
      selector:
        '[data-e2e="advertisement"], [aria-label^="广告"], .adsbygoogle, .advertisement, .ad-slot, [data-ad-slot], [id^="div-gpt-ad"]',
    },
    { name: 'lazyload-placeholder', selector: '.lazyload-placeholder' },
  ],
};
