import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFeed } from '../parse/index.js';
import type { FeedDoc } from '../model/index.js';
import { feedItemId, renderAtom, renderJsonFeed, renderRss, type FeedChannel, type FeedItem } from './feeds.js';

const PUBLISHED = Date.UTC(2020, 6, 20, 17, 55, 27);

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: 'abcdefghijklmnop',
    title: '金正恩接见俄外长 & <朝鲜>',
    url: 'https://www.rfi.fr/cn/a?x=1&y=2',
    mirrorUrl: 'https://mirror.example/articles/abcdefghijklmnop',
    published: PUBLISHED,
    contentHtml: '<p>正文 <a href="https://example.com/?a=1&amp;b=2">链接</a></p>\n<p><img src="https://mirror.example/media/ab/x.png" alt="图"></p>',
    authors: ['法广'],
    categories: ['国际', '朝鲜'],
    sourceName: '法广',
    sourceFeedUrl: 'https://feedx.net/rss/rfi.xml',
    ...overrides,
  };
}

function channel(items: FeedItem[]): FeedChannel {
  return {
    key: 'rfi',
    title: '法广 · 新闻镜像',
    description: '法广最新文章全文',
    homeUrl: 'https://mirror.example/sources/rfi',
    feedUrl: 'https://mirror.example/feeds/rfi.xml',
    language: 'zh-CN',
    updated: PUBLISHED + 3_600_000,
    items,
  };
}

const RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJsonFeed } as const;

function reparse(text: string): FeedDoc {
  return parseFeed(new TextEncoder().encode(text));
}

describe('render/feeds', () => {
  for (const [format, render] of Object.entries(RENDERERS)) {
    it(`FR-01 ${format}: our own parser reads every field back, well-formed`, () => {
      const edited = item({ id: 'editededitededed', updated: PUBLISHED + 7_200_000, authors: [] });
      const doc = reparse(render(channel([item(), edited])));
      assert.deepEqual(doc.warnings, []);
      assert.equal(doc.title, '法广 · 新闻镜像');
      assert.equal(doc.entries.length, 2);
      const [first, second] = doc.entries;
      assert.equal(first?.id, feedItemId('abcdefghijklmnop'));
      assert.equal(first?.title, '金正恩接见俄外长 & <朝鲜>');
      assert.equal(first?.link, 'https://www.rfi.fr/cn/a?x=1&y=2');
      assert.equal(first?.content, item().contentHtml);
      assert.equal(first?.published, PUBLISHED);
      assert.deepEqual(first?.categories, ['国际', '朝鲜']);
      assert.deepEqual(first?.authors.map((person) => person.name), ['法广']);
      assert.equal(second?.updated, PUBLISHED + 7_200_000);
      assert.deepEqual(second?.authors.map((person) => person.name), ['法广'], 'the source stands in for a missing author');
    });
  }

  it('FR-02 hostile text stays well-formed: control characters, lone surrogates, CDATA terminators', () => {
    const hostile = item({
      title: 'a\u0000b\u0008c\u001Fd \uD800e\uDFFF ]]> <![CDATA[ f',
      contentHtml: '<p>x ]]> y <![CDATA[ z ]]]]> \u000B</p>',
    });
    for (const [format, render] of Object.entries(RENDERERS)) {
      const doc = reparse(render(channel([hostile])));
      assert.deepEqual(doc.warnings, [], format);
      assert.equal(doc.entries[0]?.title, 'abcd e ]]> <![CDATA[ f', format);
      assert.equal(doc.entries[0]?.content, '<p>x ]]> y <![CDATA[ z ]]]]> </p>', format);
    }
  });

  it('FR-03 any title and body round-trip through RSS and Atom (property)', () => {
    // Characters XML cannot carry are dropped by design (FR-02); here every other one must survive.
    // eslint-disable-next-line no-control-regex
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
    fc.assert(
      fc.property(text, text, (title, body) => {
        const content = `<p>${body.replace(/[<&]/g, '')}</p>`;
        for (const render of [renderRss, renderAtom]) {
          const doc = reparse(render(channel([item({ title: `t${title}t`, contentHtml: content })])));
          assert.deepEqual(doc.warnings, []);
          assert.equal(doc.entries[0]?.title?.replace(/\s+/g, ' '), `t${title}t`.replace(/\s+/g, ' '));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('FR-04 RSS carries the GUID as a non-permalink and a text excerpt in description', () => {
    const rss = renderRss(channel([item({ contentHtml: `<p>${'长'.repeat(300)}</p>` })]));
    assert.match(rss, /<guid isPermaLink="false">urn:newsmirror:article:abcdefghijklmnop<\/guid>/);
    assert.match(rss, new RegExp(`<description>${'长'.repeat(200)}…</description>`));
    assert.match(rss, /<pubDate>Mon, 20 Jul 2020 17:55:27 GMT<\/pubDate>/);
    assert.doesNotMatch(rss, /atom:updated/, 'no updated element for an unedited item');
    assert.match(rss, /<source url="https:\/\/feedx\.net\/rss\/rfi\.xml">法广<\/source>/);
  });
});
