import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isNewsmirrorError } from '../../../core/errors.js';
import { articleId } from '../../../core/identity/index.js';
import type { Article } from '../../../core/model/index.js';
import { runLeaseContract, runStoreContract } from '../contract/index.js';
import { MIGRATIONS, openSqliteLeases, openSqliteStore, openSqliteWorkLeases } from './index.js';

let root: string;
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-sqlite-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

function freshPath(): string {
  counter += 1;
  return join(root, `store-${counter}.db`);
}

runLeaseContract('sqlite', async () => {
  const path = freshPath();
  const store = openSqliteStore(path);
  return {
    store,
    openLeases: async () => openSqliteLeases(path),
    openWorkLeases: async () => openSqliteWorkLeases(path),
    cleanup: async () => {
      await store.close();
      await rm(path, { force: true });
      await rm(`${path}-wal`, { force: true });
      await rm(`${path}-shm`, { force: true });
    },
  };
});

runStoreContract('sqlite', async () => {
  const path = freshPath();
  const store = openSqliteStore(path);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(path, { force: true });
      await rm(`${path}-wal`, { force: true });
      await rm(`${path}-shm`, { force: true });
    },
  };
});

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
    bodyHtml: '<p>正文</p>',
    published: 1697796901000 + n,
    dateMissing: false,
    firstSeen: 1697796901000,
    contentHash: 'h',
    version: 1,
    path: `articles/rfi/2023/10/20/1815-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: 1697796901000,
  };
}

describe('SQLite store specifics', () => {
  it('SQ-01 migrations are recorded once and reopening applies nothing', async () => {
    const path = freshPath();
    await openSqliteStore(path, { clock: { now: () => 1000 } }).close();
    await openSqliteStore(path, { clock: { now: () => 2000 } }).close();
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(rows, MIGRATIONS.map((_, index) => ({ version: index + 1, applied_at: 1000 })));
    } finally {
      db.close();
    }
  });

  it('SQ-02 the database is in WAL mode with foreign keys enforced', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    try {
      const db = new Database(path);
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
      await assert.rejects(
        store.applyChanges([{ kind: 'new', article: article(1), raw: { articleId: 'elsewhere', version: 1, entryJson: '{}', fetchedFrom: 'x' } }]),
        (error: unknown) => isNewsmirrorError(error) && error.code === 'store',
      );
      assert.equal(await store.getArticle(article(1).id), undefined);
    } finally {
      await store.close();
    }
  });

  it('SQ-03 a reopened file keeps its data', async () => {
    const path = freshPath();
    const first = openSqliteStore(path);
    await first.applyChanges([{ kind: 'new', article: article(1), raw: { articleId: article(1).id, version: 1, entryJson: '{"title":"标题 1"}', fetchedFrom: 'https://feedx.net/rss/rfi.xml' } }]);
    await first.saveSourceState({ sourceId: 'rfi', etag: '"e"', consecutiveFailures: 0, guidPolicy: 'url' });
    await first.close();
    const second = openSqliteStore(path);
    try {
      assert.deepEqual(await second.getArticle(article(1).id), article(1));
      assert.deepEqual(await second.getSourceState('rfi'), { sourceId: 'rfi', etag: '"e"', consecutiveFailures: 0, guidPolicy: 'url' });
    } finally {
      await second.close();
    }
  });

  it('SQ-04 a file from a newer schema is refused, not modified', async () => {
    const path = freshPath();
    await openSqliteStore(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(MIGRATIONS.length + 1);
    db.close();
    assert.throws(() => openSqliteStore(path), (error: unknown) => isNewsmirrorError(error) && error.code === 'store' && /newer/.test(error.message));
  });

  it('SQ-05 a missing folder is created; an unopenable path is a store error naming the file', async () => {
    const nested = join(root, 'missing-folder', 'deeper', 'x.db');
    await openSqliteStore(nested).close();
    const file = freshPath();
    await openSqliteStore(file).close();
    const path = join(file, 'x.db');
    assert.throws(() => openSqliteStore(path), (error: unknown) => isNewsmirrorError(error) && error.code === 'store' && error.message.includes(path));
  });

  it('SQ-06 close is idempotent and later calls fail as store errors', async () => {
    const store = openSqliteStore(freshPath());
    await store.close();
    await store.close();
    await assert.rejects(store.listArticleIds(), (error: unknown) => isNewsmirrorError(error) && error.code === 'store');
  });

  it('SQ-07 two stores on one file see each other’s writes', async () => {
    const path = freshPath();
    const writer = openSqliteStore(path);
    const reader = openSqliteStore(path);
    try {
      await writer.applyChanges([{ kind: 'new', article: article(2), raw: { articleId: article(2).id, version: 1, entryJson: '{}', fetchedFrom: 'x' } }]);
      assert.deepEqual(await reader.listArticleIds(), [article(2).id]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('SQ-08 findByKeys reads no body: its records stay valid after the store is closed', async () => {
    const store = openSqliteStore(freshPath());
    const first = article(3);
    await store.applyChanges([{ kind: 'new', article: first, raw: { articleId: first.id, version: 1, entryJson: '{}', fetchedFrom: 'x' } }]);
    const found = (await store.findByKeys('rfi', [first.key])).get(first.key);
    await store.close();
    assert.equal(found?.contentHash, first.contentHash);
    assert.ok(found !== undefined && !('bodyHtml' in found));
  });
});
