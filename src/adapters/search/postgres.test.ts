import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
import type { Article } from '../../core/model/index.js';
import { connectPostgres } from '../store/postgres/index.js';
import { runSearchContract } from './contract/index.js';
import { openPostgresSearchIndex } from './index.js';

describe('PostgreSQL search index', { skip: TEST_POSTGRES.skip }, () => {
  runSearchContract('postgres', async (options) => {
    const schema = await createTestSchema();
    const index = await openPostgresSearchIndex(schema.url, { ...options, schema: schema.schema });
    return {
      index,
      cleanup: async () => {
        await index.close();
        await schema.drop();
      },
    };
  });
});

const ARTICLE = `INSERT INTO articles (id, source_id, key, url, canonical_url, title, published, date_missing, first_seen, content_hash, version, path, method, authors, categories, last_seen)
  VALUES ('a1', 'bbc', 'k1', 'https://example.org/1', 'https://example.org/1', '香港', 0, false, 0, 'h', 1, 'bbc/1.md', 'feed', '[]', '[]', 0)`;

const STORED: Article = {
  id: 'a1',
  sourceId: 'bbc',
  key: 'k1',
  url: 'https://example.org/1',
  canonicalUrl: 'https://example.org/1',
  title: '香港',
  bodyHtml: '<p>国安法</p>',
  published: 0,
  dateMissing: false,
  firstSeen: 0,
  contentHash: 'h',
  version: 1,
  path: 'bbc/1.md',
  method: 'feed',
  authors: [],
  categories: [],
  lastSeen: 0,
};

/**
 * upgradeThroughRefill opens a store at every migration, with `setup` run before migrations 0012 and
 * 0013 are applied again (their records and table dropped), as on a store migrated up to 0011.
 */
async function upgradeThroughRefill(url: string, schema: string, setup: string[]): Promise<void> {
  const admin = connectPostgres(url, { maxConnections: 1, schema });
  try {
    await (await openPostgresSearchIndex(url, { schema })).close();
    await admin.execute('DROP TABLE search_refill');
    await admin.execute('DELETE FROM schema_migrations WHERE version >= 12');
    for (const sql of setup) await admin.execute(sql);
  } finally {
    await admin.close();
  }
}

describe('PostgreSQL search refill marker (migration 0012)', { skip: TEST_POSTGRES.skip }, () => {
  it('PR-01: articles stored and an empty search: a refill is owed until refilled() clears it', async () => {
    const schema = await createTestSchema();
    try {
      await upgradeThroughRefill(schema.url, schema.schema, [ARTICLE]);
      const index = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        assert.equal((await index.refillOwed())?.articles, 1);
        await index.refilled();
        assert.equal(await index.refillOwed(), undefined);
      } finally {
        await index.close();
      }
    } finally {
      await schema.drop();
    }
  });

  it('PR-02: a new store owes no refill; a store indexed before 0013 does (its trigram keys are void)', async () => {
    const schema = await createTestSchema();
    try {
      const fresh = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        assert.equal(await fresh.refillOwed(), undefined);
      } finally {
        await fresh.close();
      }
      await upgradeThroughRefill(schema.url, schema.schema, [ARTICLE]);
      const reindexed = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        await reindexed.index([STORED]);
      } finally {
        await reindexed.close();
      }
      await upgradeThroughRefill(schema.url, schema.schema, []);
      const index = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        assert.equal((await index.refillOwed())?.articles, 1);
        assert.equal((await index.search({ q: '国安法', order: 'newest', limit: 20 })).total, 0, 'the void keys are gone');
      } finally {
        await index.close();
      }
    } finally {
      await schema.drop();
    }
  });

  it('PR-03: a store indexed before 0016 owes a refill (its rows lack the run junction keys)', async () => {
    const schema = await createTestSchema();
    try {
      const indexed = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        await indexed.index([{ ...STORED, bodyHtml: '<p>在香港《国安法》</p>' }]);
        assert.equal((await indexed.search({ q: '"香港 国安法"', order: 'newest', limit: 20 })).total, 1);
      } finally {
        await indexed.close();
      }
      const admin = connectPostgres(schema.url, { maxConnections: 1, schema: schema.schema });
      try {
        await admin.execute(ARTICLE);
        await admin.execute('DELETE FROM schema_migrations WHERE version >= 16');
      } finally {
        await admin.close();
      }
      const index = await openPostgresSearchIndex(schema.url, { schema: schema.schema });
      try {
        assert.equal((await index.refillOwed())?.articles, 1);
        assert.equal((await index.search({ q: '"香港 国安法"', order: 'newest', limit: 20 })).total, 0, 'the rows without the keys are gone');
        await index.index([{ ...STORED, bodyHtml: '<p>在香港《国安法》</p>' }]);
        await index.refilled();
        assert.equal(await index.refillOwed(), undefined);
        assert.equal((await index.search({ q: '"香港 国安法"', order: 'newest', limit: 20 })).total, 1);
      } finally {
        await index.close();
      }
    } finally {
      await schema.drop();
    }
  });
});
