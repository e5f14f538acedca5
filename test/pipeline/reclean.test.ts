import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { createHttpClient } from '../../src/adapters/http/index.js';
import { createStreamLogger } from '../../src/adapters/log/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { articleId } from '../../src/core/identity/index.js';
import type { Article } from '../../src/core/model/index.js';
import { recleanArticles, type PipelineDeps } from '../../src/core/pipeline/index.js';
import { makeTempDir } from '../helpers/tmp.js';

const NOW = Date.UTC(2023, 9, 20, 12, 0);

function article(n: number): Article {
  const key = `https://www.rfi.fr/cn/${n}`;
  const id = articleId('rfi', key);
  return {
    id,
    sourceId: 'rfi',
    key,
    url: key,
    canonicalUrl: key,
    title: `标题 ${n}`,
    bodyHtml: `<p>正文 ${n}</p>`,
    published: NOW,
    dateMissing: false,
    firstSeen: NOW,
    contentHash: `hash-${n}`,
    version: 1,
    path: `articles/rfi/2023/10/20/2000-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: NOW,
  };
}

it('RC-U-01 a stored raw item that is not a received item fails that article alone, named, with the field at fault', async (t) => {
  const temp = await makeTempDir();
  await mkdir(join(temp.dir, 'archive'));
  const store = openSqliteStore(join(temp.dir, 'store.db'));
  const http = createHttpClient();
  t.after(async () => {
    await http.close();
    await store.close();
    await temp.cleanup();
  });
  // Stored before a cleaning fix: re-cleaning the raw item gives another body.
  const good = { ...article(1), bodyHtml: '<p>正文 1</p>\n<p>分享到微博</p>' };
  const bad = article(2);
  await store.applyChanges([
    { kind: 'new', article: good, raw: { articleId: good.id, version: 1, entryJson: JSON.stringify({ entry: { content: '<p>正文 1</p>' } }), fetchedFrom: 'x' } },
    { kind: 'new', article: bad, raw: { articleId: bad.id, version: 1, entryJson: JSON.stringify({ entry: { content: ['<p>正文 2</p>'] } }), fetchedFrom: 'x' } },
  ]);
  const deps: PipelineDeps = {
    http,
    store,
    archive: createArchiveWriter(join(temp.dir, 'archive')),
    clock: { now: () => NOW },
    logger: createStreamLogger(() => undefined),
    timeZone: 'Asia/Shanghai',
  };
  const report = await recleanArticles(deps, [{ id: 'rfi', name: '法广', url: 'https://www.rfi.fr/cn/rss', enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60 }]);
  assert.equal(report.examined, 2);
  assert.equal(report.changed, 1);
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0]?.articleId, bad.id);
  assert.match(report.failed[0]?.reason ?? '', new RegExp(`raw item of article ${bad.id} v1 is not a received item: entry\\.content: `));
  assert.equal((await store.getArticle(good.id))?.bodyHtml, '<p>正文 1</p>');
});
