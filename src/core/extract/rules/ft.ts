import type { ExtractRule } from './types.js';

/**
 * FT_RULE is FT中文网 (cn.ft.com). `.story-body` and its `.o-ads` inserts are
 * taken from 165 article bodies captured from the site in the dutymachine corpus.
 */
export const FT_RULE: ExtractRule = {
  site: 'ft',
  hosts: ['cn.ft.com'],
  content: ['.story-body'],
  remove: ['.o-ads', '.in-article-advert'],
};
