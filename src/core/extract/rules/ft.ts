import type { ExtractRule } from './types.js';

/**
 * ft is FT中文网 (ftchinese.com). `.story-body` with `.story-lead` before it and `.o-ads` inserts are
 * taken from 165 article bodies captured from the site in the dutymachine corpus.
 */
export const ft: ExtractRule = {
  site: 'ft',
  hosts: ['ftchinese.com', 'ftchinese.net'],
  content: ['.story-body'],
  remove: ['.o-ads', '.in-article-advert'],
};
