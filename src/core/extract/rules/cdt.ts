import type { ExtractRule } from './types.js';

/**
 * CDT_RULE is China Digital Times 中国数字时代. `div.post-content` is the selector the system we continue
 * used for this site (duty-machine/news perform.js) and appears in its captured bodies.
 */
export const CDT_RULE: ExtractRule = {
  site: 'cdt',
  hosts: ['chinadigitaltimes.net'],
  content: ['div.post-content'],
  remove: ['.wp-embedded-content'],
};
