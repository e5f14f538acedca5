import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Element, Text } from 'domhandler';
import { cleanArticle } from './index.js';
import { compact, visibleParagraphs } from '../../../test/helpers/clean.js';
import { CORPORA, SOURCE_IDS, corpusPath } from '../../../test/helpers/corpus.js';

// The boilerplate inventory of the shared corpus's dutymachine/noise.md, written as whole paragraphs of
// visible text (whitespace removed). Anything else that disappears is lost article text.
const BOILERPLATE_PARAGRAPHS = [
  /^获取更多RSS/,
  /^https:\/\/feedx\.(?:net|xyz|best)$/,
  /^我们的标准：汤森路透“信任原则”$/,
  /^FeedenhancedbyBetterFeedfromOzh$/,
  /get_post_time\('Y'\)/,
  /^Posttags:/,
  /^广告$/,
  /^（欢迎点击此处订阅/,
  /^你的器材不支持播放多媒体材料$/,
  /德国之声版权声明/,
  /^告知：第三方内容可能包含广告$/,
  /^(?:跳过|结尾)(?:Youtube|Twitter|Facebook|Instagram)帖子/,
  /^(?:相关阅读|延伸阅读)[:：]?/,
  /^相关报道\S/,
  /^分享[:：]?$/,
  // Feed-injected date lines (RFI, BBC, DW, Reuters, VOA; legacy CDT).
  /^\d\d\/\d\d\/\d{4}-\d\d:\d\d$/,
  /^\d{4}年\d{1,2}月\d{1,2}日$/,
  /^\d{4}-\d\d-\d\dT[\d:.]+Z?$/,
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\d{1,2}[A-Z][a-z]{2}\d{4}[\d:]{8}(?:GMT|[+-]\d{4})$/,
  /^日期：/,
];
// Screen-reader labels BBC puts inside captions ("图片版权 AFP" shows as "AFP").
const HIDDEN_LABELS = /^(?:图片版权|Imagecaption)/;

// Related-story blocks: a list whose every item is one link (RFA), WordPress related-post embeds (CDT).
function relatedBlock(element: Element): boolean {
  if (element.attribs.class?.includes('wp-embedded-content')) return true;
  if (element.name !== 'ul' && element.name !== 'ol') return false;
  const items = listItems(element);
  return items.length > 0 && items.every((item) => linkCount(item) === 1 && compact(textOutsideLinks(item)) === '');
}

function listItems(element: Element): Element[] {
  return element.children.flatMap((child) => (child instanceof Element ? (child.name === 'li' ? [child] : listItems(child)) : []));
}

function linkCount(element: Element): number {
  return element.children.reduce(
    (count, child) =>
      count + (child instanceof Element ? (child.name === 'a' ? (compact(linkText(child)) === '' ? 0 : 1) : linkCount(child)) : 0),
    0,
  );
}

function linkText(element: Element): string {
  return element.children.map((child) => (child instanceof Text ? child.data : child instanceof Element ? linkText(child) : '')).join('');
}

function textOutsideLinks(element: Element): string {
  return element.children
    .map((child) => (child instanceof Text ? child.data : child instanceof Element && child.name !== 'a' ? textOutsideLinks(child) : ''))
    .join('');
}

interface Row {
  source: string;
  path: string;
  link: string | null;
  html: string | null;
}

for (const corpus of CORPORA) describe(`cleanArticle over every dutymachine article (${corpus.name} corpus)`, () => {
  let cached: Row[] | undefined;
  const rows = (): Row[] =>
    (cached ??= readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row));

  it('loses no paragraph of article text (only the inventoried boilerplate)', { skip: corpus.skip }, () => {
    const lost: string[] = [];
    for (const row of rows()) {
      const html = row.html ?? '';
      const result = cleanArticle(html, { url: row.link ?? 'https://example.com/', sourceId: SOURCE_IDS[row.source] });
      const output = compact(result.text);
      for (const paragraph of visibleParagraphs(html, relatedBlock)) {
        const text = paragraph.replace(HIDDEN_LABELS, '');
        if (text === '' || BOILERPLATE_PARAGRAPHS.some((pattern) => pattern.test(text))) continue;
        if (!output.includes(text)) lost.push(`${row.path}: ${text.slice(0, 80)}`);
      }
    }
    assert.deepEqual(lost, []);
  });

  it('is idempotent on every article', { skip: corpus.skip }, () => {
    const unstable: string[] = [];
    for (const row of rows()) {
      const options = { url: row.link ?? 'https://example.com/', sourceId: SOURCE_IDS[row.source] };
      const once = cleanArticle(row.html ?? '', options).html;
      if (cleanArticle(once, options).html !== once) unstable.push(row.path);
    }
    assert.deepEqual(unstable, []);
  });
});
