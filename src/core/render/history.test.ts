import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Article, Removal } from '../model/index.js';
import { articleFromFile, parseArticleFile, removalFromFile, renderArticleFile } from './article-file.js';
import { parseVersionPath, renderRemovedList, versionArticle, versionPath } from './history.js';

const article: Article = {
  id: 'abcdefghabcdefgh',
  sourceId: 'rfi',
  key: 'https://www.rfi.fr/cn/1',
  url: 'https://www.rfi.fr/cn/1',
  canonicalUrl: 'https://www.rfi.fr/cn/1',
  title: '标题 [v2]',
  bodyHtml: '<p>第二版</p>',
  published: Date.UTC(2024, 2, 1, 4, 15),
  dateMissing: false,
  firstSeen: Date.UTC(2024, 2, 1, 4, 20),
  contentHash: 'h2',
  version: 2,
  path: 'articles/rfi/2024/03/01/1215-abcdefghabcdefgh.md',
  method: 'feed',
  authors: [],
  categories: [],
  lastSeen: Date.UTC(2024, 2, 1, 9),
};
const removal: Removal = {
  articleId: article.id,
  sourceId: 'rfi',
  firstGoneAt: Date.UTC(2024, 2, 2),
  confirmedAt: Date.UTC(2024, 2, 2, 7),
  evidence: [
    { at: Date.UTC(2024, 2, 2), status: 404, finalUrl: article.url, rule: 'http-404' },
    { at: Date.UTC(2024, 2, 2, 7), finalUrl: 'https://www.rfi.fr/cn/', rule: 'redirect-home' },
  ],
};

describe('archive history', () => {
  it('AH-01 a standing removal round-trips through the article file; a withdrawn one is not written', () => {
    const parsed = parseArticleFile(renderArticleFile(article, removal));
    assert.ok(parsed.meta);
    assert.deepEqual(removalFromFile(parsed.meta), removal);
    assert.deepEqual(articleFromFile(parsed, article.path), article);
    const withdrawn = parseArticleFile(renderArticleFile(article, { ...removal, withdrawnAt: Date.UTC(2024, 2, 3) }));
    assert.equal(withdrawn.meta?.removedAt, undefined);
    assert.equal(renderArticleFile(article, { ...removal, withdrawnAt: 1 }), renderArticleFile(article));
  });

  it('AH-02 version files sit beside the article and read back as that version', () => {
    const path = versionPath(article.path, 1);
    assert.equal(path, 'articles/rfi/2024/03/01/1215-abcdefghabcdefgh.versions/v1.md');
    assert.deepEqual(parseVersionPath(path), { articlePath: article.path, version: 1 });
    assert.equal(parseVersionPath(article.path), undefined);
    const v1 = versionArticle(article, { articleId: article.id, version: 1, title: '标题', bodyHtml: '<p>第一版</p>', contentHash: 'h1', seenAt: article.firstSeen });
    const read = articleFromFile(parseArticleFile(renderArticleFile(v1)), article.path);
    assert.deepEqual([read?.version, read?.title, read?.bodyHtml, read?.contentHash, read?.lastSeen], [1, '标题', '<p>第一版</p>', 'h1', article.firstSeen]);
  });

  it('AH-03 lists/removed.md: newest removal first, time in the zone, links to the kept copy', () => {
    const text = renderRemovedList(
      [
        { ...removal, confirmedAt: Date.UTC(2024, 2, 2, 7), title: '标题 [v2]', url: article.url, path: article.path, published: article.published },
      ],
      (id) => (id === 'rfi' ? '法广 RFI' : id),
      'Asia/Shanghai',
    );
    assert.match(text, /^# 原文已删除的文章/);
    assert.match(text, /2024-03-02 15:00 · 法广 RFI · \[标题 \\\[v2\\\]\]\(\.\.\/articles\/rfi\/2024\/03\/01\/1215-abcdefghabcdefgh\.md\)/);
  });
});
