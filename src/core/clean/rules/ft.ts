import type { CleanRule } from '../types.js';

/** FT_RULE cleans FT 中文网 bodies: o-ads slots and float clearers. */
export const FT_RULE: CleanRule = {
  site: 'ft',
  sourceIds: ['ft'],
  hosts: ['ft.com', 'ftchinese.com', 'ftacademy.cn'],
  remove: [{ name: 'ad-slot', selector: '.o-ads, [data-o-ads-name], .in-article-advert' }],
};
