import type { TitleRule } from './types.js';

/**
 * RFI_COLUMNS are RFI 法广's regular columns, which its feed appends to the title as ` - 美国专栏`
 * (counted in the 2020 corpus: 法国报纸摘要 19, 法国世界报 14, 要闻解说 13, …). A list rather than a
 * pattern: a headline may itself end in ` - ` and a short phrase.
 */
const RFI_COLUMNS = [
  '法国报纸摘要',
  '法国世界报',
  '要闻解说',
  '要闻分析',
  '今日经济',
  '美国专栏',
  '亚洲周刊',
  '特别节目',
  '法国美食',
  '东京专栏',
  '公民论坛',
  '曼谷专栏',
  '微言微语',
  '法国风光',
  '法国思想长廊',
  '台北一周',
  '观察中国',
  '法国风土人情',
];

/** RFI_TITLES cuts RFI's ` – 法国国际广播电台 - RFI` suffix (544 of 1,403 titles) and keeps its column names. */
export const RFI_TITLES: TitleRule = {
  site: 'rfi',
  sourceIds: ['rfi'],
  suffixes: [/\s+[–—-]\s*法国国际广播电台\s*[–—-]\s*RFI$/u],
  columns: [new RegExp(String.raw`\s+[–—-]\s+(?<column>${RFI_COLUMNS.join('|')})$`, 'u')],
};
