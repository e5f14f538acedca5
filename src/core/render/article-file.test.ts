import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Article } from '../model/index.js';
import { articleFromFile, escapeTitle, encodeLink, parseArticleFile, renderArticleFile } from './article-file.js';
import { formatBlocks } from './blocks.js';
import { SEED_FILE } from '../../../test/helpers/corpus.js';

const SEED = readFileSync(SEED_FILE, 'utf8');

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: 'abcdefghijklmnop',
    sourceId: 'rfi',
    key: 'https://www.rfi.fr/cn/x',
    url: 'https://www.rfi.fr/cn/x',
    canonicalUrl: 'https://www.rfi.fr/cn/x',
    title: '标题',
    bodyHtml: '<p>正文</p>',
    published: 1697796901000,
    dateMissing: false,
    firstSeen: 1697797000000,
    contentHash: 'ab'.repeat(32),
    version: 1,
    path: 'articles/rfi/2023/10/20/1815-abcdefghijklmnop.md',
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: 1697797000000,
    ...overrides,
  };
}

describe('renderArticleFile', () => {
  it('F01 reproduces the first four lines of the seed byte for byte', () => {
    const lines = SEED.split('\n');
    const title = lines[1]!.slice(1, lines[1]!.indexOf(']('));
    const link = lines[1]!.slice(lines[1]!.indexOf('](') + 2, -1);
    const body = SEED.slice(SEED.indexOf('\n------\n\n') + 9, -1);
    const out = renderArticleFile(article({ title, url: link, canonicalUrl: link, bodyHtml: body, published: 1697796901000 }));
    assert.equal(out.split('\n').slice(0, 4).join('\n'), lines.slice(0, 4).join('\n'));
    assert.equal(Buffer.compare(Buffer.from(out.split('\n').slice(0, 4).join('\n')), Buffer.from(lines.slice(0, 4).join('\n'))), 0);
  });

  it('F02 writes the body with one block per line and the metadata as the last line', () => {
    const out = renderArticleFile(article({ bodyHtml: '<p>a</p><p>b</p>' }));
    const lines = out.split('\n');
    assert.deepEqual(lines.slice(4, 6), ['<p>a</p>', '<p>b</p>']);
    assert.match(lines[6]!, /^<!-- newsmirror: \{.*\} -->$/);
    assert.equal(lines[7], '');
    assert.equal(lines.length, 8);
  });

  it('F03 escapes the title and keeps it on one line', () => {
    assert.equal(escapeTitle(' a\n\nb\t[c] \\d '), 'a b \\[c\\] \\\\d');
    assert.equal(escapeTitle('获救\u3000多数'), '获救\u3000多数');
    const out = renderArticleFile(article({ title: '[视频]\r\n北京  火速' }));
    assert.equal(out.split('\n')[1], '[\\[视频\\] 北京 火速](https://www.rfi.fr/cn/x)');
  });

  it('F04 percent-encodes what would break the link and records the original url', () => {
    assert.equal(encodeLink('https://x.org/a b/(c)<d>'), 'https://x.org/a%20b/%28c%29%3Cd%3E');
    assert.equal(encodeLink('https://www.rfi.fr//cn/%E5%9B%BD'), 'https://www.rfi.fr//cn/%E5%9B%BD');
    const url = 'https://x.org/wiki/Foo_(bar) baz';
    const parsed = parseArticleFile(renderArticleFile(article({ url })));
    assert.equal(parsed.link, 'https://x.org/wiki/Foo_%28bar%29%20baz');
    assert.equal(parsed.meta?.url, url);
    assert.equal(articleFromFile(parsed, 'p')?.url, url);
  });

  it('F05 metadata cannot close its comment, whatever the strings hold', () => {
    const guid = 'x --> <script>alert(1)</script> --!> ---- >';
    const out = renderArticleFile(article({ guid, categories: ['a-->b'], authors: ['<!--'] }));
    const metaLine = out.split('\n').at(-2)!;
    assert.equal(metaLine.indexOf('-->'), metaLine.length - 3);
    assert.ok(!metaLine.slice(4, -3).includes('--'));
    assert.ok(!metaLine.slice(4, -3).includes('>'));
    const parsed = parseArticleFile(out);
    assert.equal(parsed.meta?.guid, guid);
    assert.deepEqual(parsed.meta?.categories, ['a-->b']);
    assert.deepEqual(parsed.meta?.authors, ['<!--']);
  });

  it('F06 rebuilds the article from the file alone', () => {
    const original = article({ guid: 'g-1', updated: 1697800000000, dateMissing: true, authors: ['甲'], categories: ['国际'], version: 3, method: 'jsonld' });
    const rebuilt = articleFromFile(parseArticleFile(renderArticleFile(original)), original.path);
    assert.deepEqual(rebuilt, original);
    assert.equal(articleFromFile(parseArticleFile(SEED), 'x'), undefined);
  });

  it('F07 keeps the column in the trailing metadata, and only when there is one', () => {
    const withColumn = article({ title: '美中交恶，美国华人选边', column: '美国专栏' });
    const out = renderArticleFile(withColumn);
    assert.equal(parseArticleFile(out).meta?.column, '美国专栏');
    assert.deepEqual(articleFromFile(parseArticleFile(out), withColumn.path), withColumn);
    assert.ok(!renderArticleFile(article({})).includes('"column"'));
  });
});

describe('parseArticleFile', () => {
  it('R01 reads the seed', () => {
    const parsed = parseArticleFile(SEED);
    assert.equal(parsed.published, 1697796901000);
    assert.equal(parsed.title, '金正恩接见俄外长：建立面向未来的朝俄关系百年大计');
    assert.ok(parsed.link.startsWith('https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20231020-'));
    assert.ok(parsed.body.startsWith('<div>20/10/2023 - 11:51</div><img'));
    assert.ok(parsed.body.endsWith('https://feedx.best</a><br></div>'));
    assert.equal(parsed.meta, undefined);
  });

  it('R02 reads a title with a bare ] and one broken over lines (original files)', () => {
    const a = parseArticleFile('<!--1-->\n[[视频]北京火速通过](https://x.org/a)\n------\n\n<p>b</p>\n');
    assert.deepEqual([a.title, a.link, a.body], ['[视频]北京火速通过', 'https://x.org/a', '<p>b</p>']);
    const b = parseArticleFile('<!--1593446049000-->\n[德语媒体：北京的快速回应\n\n](https://www.dw.com/zh/a)\n------\n\n<p>x</p>\n');
    assert.deepEqual([b.published, b.title, b.link, b.body], [1593446049000, '德语媒体：北京的快速回应', 'https://www.dw.com/zh/a', '<p>x</p>']);
  });

  it('R03 reads header-less CDT files and their 日期 line', () => {
    const text = '[标题](https://chinadigitaltimes.net/a/)\n------\n日期：Tue, 23 Jun 2020 09:34:08 +0000\n\n<p>x</p>\n';
    const parsed = parseArticleFile(text);
    assert.equal(parsed.published, undefined);
    assert.equal(parsed.title, '标题');
    assert.equal(parsed.body, '日期：Tue, 23 Jun 2020 09:34:08 +0000\n\n<p>x</p>');
    assert.equal(parsed.dateLine, Date.UTC(2020, 5, 23, 9, 34, 8));
  });

  it('R04 treats <!--NaN--> as no date and tolerates CRLF, a BOM and a missing rule', () => {
    assert.equal(parseArticleFile('<!--NaN-->\n[t](u)\n------\n\nb\n').published, undefined);
    const crlf = parseArticleFile('\uFEFF<!--5-->\r\n[t](https://u)\r\n------\r\n\r\n<p>a</p>\r\n<p>b</p>\r\n');
    assert.deepEqual([crlf.published, crlf.title, crlf.link, crlf.body], [5, 't', 'https://u', '<p>a</p>\n<p>b</p>']);
    const noRule = parseArticleFile('<!--5-->\n[t](https://u)\n<p>x</p>\n');
    assert.deepEqual([noRule.title, noRule.link, noRule.body], ['t', 'https://u', '<p>x</p>']);
    const lone = parseArticleFile('<!--5-->\n[t](https://u)\n------\n\n<p title="a\rb">x</p>\n');
    assert.equal(lone.body, '<p title="a\rb">x</p>');
    assert.deepEqual(parseArticleFile(''), { title: '', link: '', body: '' });
  });

  it('R05 ignores metadata that is not valid', () => {
    const parsed = parseArticleFile('<!--5-->\n[a\\]b](u)\n------\n\n<p>x</p>\n<!-- newsmirror: {"id":1} -->\n');
    assert.equal(parsed.meta, undefined);
    assert.equal(parsed.body, '<p>x</p>\n<!-- newsmirror: {"id":1} -->');
  });

  it('R06 render then parse gives back the same fields (property)', () => {
    const titleChars = fc.oneof(fc.constantFrom('[', ']', '\\', '(', ')', '](', ' ', '\n', '\r\n', '\t', '\u3000', '-->', '------', '中', 'a'), fc.string({ unit: 'grapheme', maxLength: 3 }));
    const title = fc.array(titleChars, { maxLength: 20 }).map((parts) => parts.join(''));
    const bodyPiece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<pre>', '</pre>', '\n', '\r', '------', '<!-- newsmirror: {} -->', '<!--1-->', '[x](y)', '文'),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    );
    const body = fc.array(bodyPiece, { maxLength: 30 }).map((parts) => parts.join(''));
    const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('https://x.org/a (b)', 'https://www.rfi.fr//cn/%E5%9B%BD', ''));
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(title, body, url, fc.integer({ min: 0, max: 4102444800000 }), text, fc.option(text, { nil: undefined }), (t, b, u, published, key, guid) => {
        const original = article({ title: t, bodyHtml: b, url: u, published, key, categories: [key], ...(guid === undefined ? {} : { guid }) });
        const parsed = parseArticleFile(renderArticleFile(original));
        assert.equal(parsed.published, published);
        assert.equal(parsed.title, t.replace(/[ \t\n\v\f\r\u0085\u2028\u2029]+/g, ' ').trim());
        assert.equal(parsed.link, encodeLink(u));
        assert.equal(parsed.body, formatBlocks(b));
        assert.equal(parsed.meta?.key, key);
        assert.equal(parsed.meta?.guid, guid);
        assert.deepEqual(articleFromFile(parsed, original.path), { ...original, title: parsed.title, bodyHtml: parsed.body });
      }),
      { numRuns: 1500 },
    );
  });
});
