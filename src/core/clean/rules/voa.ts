import type { CleanRule } from '../types.js';

/**
 * VOA_RULE names VOA 美国之音's sources and hosts. Its bodies carry only noise the generic rules and the
 * sanitizer already remove (feed date line, feedx footer, weserv-proxied images and posters, empty
 * teaser links, inline styles), so it has no removals of its own yet; the fixtures show that.
 */
export const VOA_RULE: CleanRule = {
  site: 'voa',
  sourceIds: ['voa'],
  hosts: ['voachinese.com', 'voanews.com', 'voacantonese.com'],
  remove: [],
};
