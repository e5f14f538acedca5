import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cleanArticle, CLEAN_RULES } from '../index.js';
import { compact, executableConstructs, visibleParagraphs, type Fixture } from '../../../../test/helpers/clean.js';
import { Element } from 'domhandler';
import { parseDocument } from 'htmlparser2';

const TOP_BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'figure', 'table', 'pre', 'hr', 'video', 'audio', 'iframe']);

const DIR = new URL('./testdata/', import.meta.url);
const FIXTURES = JSON.parse(readFileSync(new URL('fixtures.json', DIR), 'utf8')) as Fixture[];

function read(fixture: Fixture, suffix: string): string {
  return readFileSync(new URL(`${fixture.site}/${fixture.name}${suffix}`, DIR), 'utf8');
}

// Markup and text that must never survive a clean, whatever the source.
const BOILERPLATE = [
  /获取更多RSS/,
  /feedx\.(?:net|xyz|best)/,
  /data-selfpromo/,
  /get_post_time/,
  /Feed enhanced by/,
  /\bclass=/,
  /\bstyle=/,
  /\bid=/,
  /images\.weserv\.nl/,
  /bbccom_|mpu-ad|o-ads|m-block-ad/,
  /你的器材不支持播放多媒体材料/,
  /我们的标准/,
  /订阅.{0,6}NYT简报/,
  /<(?:script|style|noscript|svg|button|form)/,
  /^<div>\d\d\/\d\d\/\d{4} - \d\d:\d\d<\/div>/,
];

describe('site rules: golden fixtures from real corpus bodies', () => {
  it('covers every site rule with at least three captured bodies', () => {
    for (const rule of CLEAN_RULES) {
      const count = FIXTURES.filter((fixture) => fixture.site === rule.site).length;
      assert.ok(count >= 3, `${rule.site} has ${count} fixtures`);
    }
  });

  for (const fixture of FIXTURES) {
    describe(`${fixture.site}/${fixture.name}`, () => {
      const input = read(fixture, '.html');
      const expected = read(fixture, '.expected.html');
      const result = cleanArticle(input, { url: fixture.url, sourceId: fixture.sourceId });

      it('matches the reviewed expected output', () => {
        assert.equal(`${result.html}\n`, expected);
      });

      it('leaves no boilerplate and nothing executable', () => {
        for (const pattern of BOILERPLATE) assert.doesNotMatch(result.html, pattern);
        assert.deepEqual(executableConstructs(result.html), []);
      });

      it('is stable: cleaning the output changes nothing', () => {
        assert.equal(cleanArticle(result.html, { url: fixture.url, sourceId: fixture.sourceId }).html, result.html);
      });

      it('puts each top-level block on its own line', () => {
        const html = result.html;
        const doc = parseDocument(html, { withStartIndices: true, withEndIndices: true });
        for (const node of doc.children) {
          if (!(node instanceof Element) || !TOP_BLOCKS.has(node.name)) continue;
          const start = node.startIndex ?? 0;
          const end = node.endIndex ?? 0;
          assert.ok(start === 0 || html[start - 1] === '\n', `block not at line start: ${html.slice(start, start + 40)}`);
          assert.ok(end === html.length - 1 || html[end + 1] === '\n', `block not at line end: ${html.slice(end - 40, end + 1)}`);
        }
      });

      it('keeps the text of the output identical to the text of the expected file', () => {
        assert.equal(compact(result.text), compact(visibleParagraphs(expected).join('')));
      });
    });
  }
});

describe('the seed article (shared/seed/rfi-article.md)', () => {
  const seed = FIXTURES.find((fixture) => fixture.name === 'seed');
  assert.ok(seed);
  const input = read(seed, '.html');
  const result = cleanArticle(input, { url: seed.url, sourceId: 'rfi' });

  it('loses the share bar (分享 and its links), the self-promo placeholders and the feedx footer', () => {
    assert.doesNotMatch(result.html, /分享/);
    assert.doesNotMatch(result.html, /facebook\.com|whatsapp|x\.com\/intent/);
    assert.doesNotMatch(result.html, /selfpromo|share-button|share-modal|v-on:/);
    assert.doesNotMatch(result.html, /获取更多RSS|feedx/);
    assert.doesNotMatch(result.html, /20\/10\/2023 - 11:51/);
    for (const name of ['share-bar', 'self-promo', 'feedx-footer', 'date-line']) {
      assert.ok(result.removed.includes(name), `${name} did not fire: ${result.removed.join(', ')}`);
    }
  });

  it('keeps its lead image and all eight paragraphs', () => {
    assert.match(result.html, /^<img src="https:\/\/s\.rfi\.fr\/media\/display\/c9d309ec-6f2b-11ee-a7fa-005056a90284\/w:1280\/p:16x9\/AP23293271731247\.jpg">\n/);
    const paragraphs = result.html.split('\n').filter((line) => line.startsWith('<p>'));
    assert.equal(paragraphs.length, 8);
    for (const start of ['朝鲜国务委员长金正恩', '金正恩说', '朝中社报导称', '韩联社报导称', '朝俄外长会谈之后', '韩国外交部官员周五', '据悉，拉夫罗夫', '韩方官员强调']) {
      assert.ok(result.text.includes(start), start);
    }
  });
});
