import type { CleanRule } from '../types.js';

/**
 * CDT_RULE cleans 中国数字时代 bodies: the WordPress feed footer with unrendered PHP
 * (`get_post_time('Y')`), the "Better Feed" credit, related-post embeds and the legacy `日期：` line.
 */
export const CDT_RULE: CleanRule = {
  site: 'cdt',
  sourceIds: ['cdt'],
  hosts: ['chinadigitaltimes.net'],
  remove: [
    { name: 'feed-footer', selector: 'p', text: /get_post_time\(|^©.{0,80} for 中国数字时代/, withPreceding: ['hr'], needle: ' for <a' },
    { name: 'feed-footer', selector: 'p', text: /^Feed enhanced by Better Feed/, needle: 'Feed enhanced' },
    { name: 'related-reading', selector: '.wp-embedded-content' },
    { name: 'related-reading', selector: 'p, h3, strong', text: /^(?:相关阅读|延伸阅读|推荐阅读)[:：]?$/, needle: '阅读' },
  ],
  leadingText: [{ name: 'date-line', pattern: /^\s*日期：[^\n<]*\n*/ }],
};
