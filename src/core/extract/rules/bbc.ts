import type { ExtractRule } from './types.js';

/**
 * BBC_RULE is BBC News 中文 (bbc.com/zhongwen). `.story-body__inner` (property="articleBody") and its ad
 * slots are taken from 152 article bodies captured from the site in the dutymachine corpus.
 */
export const BBC_RULE: ExtractRule = {
  site: 'bbc',
  hosts: ['bbc.com', 'bbc.co.uk'],
  pathPrefix: '/zhongwen',
  content: ['.story-body__inner', '[property="articleBody"]'],
  remove: ['.bbccom_advert', '.bbccom_slot', '.mpu-ad'],
};
