import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsFullText } from './fulltext.js';
import type { Entry } from '../model/index.js';

const entry = (fields: Partial<Entry>): Entry => ({ authors: [], categories: [], enclosures: [], link: 'https://example.com/a', ...fields });
const LONG = `<p>${'中国数字时代报道，'.repeat(40)}</p>`;

describe('needsFullText', () => {
  it('FT-01 feed mode never fetches the page, page mode always does', () => {
    assert.equal(needsFullText(entry({ summary: '<p>短</p>' }), 'feed'), false);
    assert.equal(needsFullText(entry({ content: LONG }), 'page'), true);
  });
  it('FT-02 auto fetches when the body is missing or short', () => {
    assert.equal(needsFullText(entry({}), 'auto'), true);
    assert.equal(needsFullText(entry({ summary: '<p>金正恩接见俄外长。</p>' }), 'auto'), true);
    assert.equal(needsFullText(entry({ content: LONG }), 'auto'), false);
  });
  it('FT-03 auto fetches when a long body is visibly cut off', () => {
    assert.equal(needsFullText(entry({ content: `${LONG}<p>阅读全文</p>` }), 'auto'), true);
    assert.equal(needsFullText(entry({ content: `${LONG.slice(0, -4)}…</p>` }), 'auto'), true);
    assert.equal(needsFullText(entry({ summary: `${LONG}<a href="/x">Read more »</a>` }), 'auto'), true);
  });
  it('FT-04 no link, nothing to fetch', () => {
    assert.equal(needsFullText({ authors: [], categories: [], enclosures: [] }, 'page'), false);
  });
});
