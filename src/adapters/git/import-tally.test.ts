import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openImportTally } from './import-tally.js';

describe('openImportTally', () => {
  it('IT01 counts distinct articles per source, new paths, and those HEAD never showed', async () => {
    const tally = openImportTally();
    try {
      const note = (articleId: string, sourceId: string, path: string, atHead: boolean) => tally.note({ articleId, sourceId, path, atHead });
      assert.deepEqual(await note('a', 'rfi', 'articles/法广/1_a.md', false), { newArticle: true, newPath: true });
      assert.deepEqual(await note('a', 'rfi', 'articles/法广/1_a.md', false), { newArticle: false, newPath: false });
      assert.deepEqual(await note('a', 'rfi', 'articles/法广/2_a.md', true), { newArticle: false, newPath: true }, 'a second path: merged');
      assert.deepEqual(await note('b', 'rfi', 'articles/法广/1_a.md', false), { newArticle: true, newPath: true }, 'a reused path is new for another article');
      await note('c', 'cdt', 'articles/中国数字时代/3.md', true);
      await note('c', 'cdt', 'articles/中国数字时代/3.md', false);
      assert.deepEqual(await tally.counts(), new Map([['rfi', { articles: 2, recovered: 1 }], ['cdt', { articles: 1, recovered: 0 }]]));
    } finally {
      await tally.close();
    }
  });
});
