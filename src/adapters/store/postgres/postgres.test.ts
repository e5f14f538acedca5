import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNewsmirrorError } from '../../../core/errors.js';
import { createTestSchema, TEST_POSTGRES } from '../../../../test/helpers/postgres.js';
import { runLeaseContract, runStoreContract } from '../contract/index.js';
import { connectPostgres, loadMigrations, openPostgresLeadership, openPostgresLeases, openPostgresStore, openPostgresWorkLeases } from './index.js';

describe('PostgreSQL store', { skip: TEST_POSTGRES.skip }, () => {
  runStoreContract('postgres', async () => {
    const schema = await createTestSchema();
    const store = await openPostgresStore(schema.url, { schema: schema.schema });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await schema.drop();
      },
    };
  });

  runLeaseContract('postgres', async () => {
    const schema = await createTestSchema();
    const store = await openPostgresStore(schema.url, { schema: schema.schema });
    return {
      store,
      openLeases: () => openPostgresLeases(schema.url, { schema: schema.schema }),
      openWorkLeases: () => openPostgresWorkLeases(schema.url, { schema: schema.schema }),
      cleanup: async () => {
        await store.close();
        await schema.drop();
      },
    };
  });

  describe('PostgreSQL store specifics', () => {
    it('PG-01 migrations are recorded once, under a lock, when many processes open a new schema at once', async () => {
      const schema = await createTestSchema();
      try {
        const stores = await Promise.all(
          Array.from({ length: 6 }, (_, n) => openPostgresStore(schema.url, { schema: schema.schema, maxConnections: 1, clock: { now: () => 1000 + n } })),
        );
        const reopened = await openPostgresStore(schema.url, { schema: schema.schema, clock: { now: () => 9000 } });
        await Promise.all([...stores, reopened].map((store) => store.close()));
        const db = connectPostgres(schema.url, { schema: schema.schema });
        try {
          const rows = await db.query<{ version: number; name: string; applied_at: number }>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
          const migrations = await loadMigrations();
          assert.deepEqual(rows.map((row) => [row.version, row.name]), migrations.map((migration) => [migration.version, migration.name]));
          assert.ok(rows.every((row) => row.applied_at >= 1000 && row.applied_at < 1006));
        } finally {
          await db.close();
        }
      } finally {
        await schema.drop();
      }
    });

    it('PG-02 a schema from a newer newsmirror is refused, not modified', async () => {
      const schema = await createTestSchema();
      try {
        await (await openPostgresStore(schema.url, { schema: schema.schema })).close();
        const db = connectPostgres(schema.url, { schema: schema.schema });
        const newer = (await loadMigrations()).length + 1;
        try {
          await db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)", [newer]);
        } finally {
          await db.close();
        }
        await assert.rejects(openPostgresStore(schema.url, { schema: schema.schema }), (error: unknown) => isNewsmirrorError(error) && error.code === 'store' && /newer/.test(error.message));
      } finally {
        await schema.drop();
      }
    });

    it('PG-03 close is idempotent and later calls fail as store errors', async () => {
      const schema = await createTestSchema();
      try {
        const store = await openPostgresStore(schema.url, { schema: schema.schema });
        await store.close();
        await store.close();
        await assert.rejects(store.listArticleIds(), (error: unknown) => isNewsmirrorError(error) && error.code === 'store');
      } finally {
        await schema.drop();
      }
    });

    it('PG-04 an unreachable server is store-unreachable (the machine, not a source), with a hint and without the password', async () => {
      const url = new URL(TEST_POSTGRES.url ?? 'postgres://127.0.0.1/x');
      url.username = 'nobody';
      url.password = 'sekrit';
      url.port = '1';
      await assert.rejects(
        openPostgresStore(url.toString()),
        (error: unknown) => isNewsmirrorError(error) && error.code === 'store-unreachable' && error.stage === 'store' && error.hint !== undefined && !error.message.includes('sekrit'),
      );
    });

    it('PG-05 one archive leader per schema: a second waits, and takes over when the first one ends', async () => {
      const schema = await createTestSchema();
      const first = await openPostgresLeadership(schema.url, { schema: schema.schema, pollMs: 20 });
      const second = await openPostgresLeadership(schema.url, { schema: schema.schema, pollMs: 20 });
      try {
        assert.equal(await first.acquire(), true);
        assert.equal(await first.held(), true);
        const waiting = new AbortController();
        const gaveUp = second.acquire(waiting.signal);
        assert.equal(await second.held(), false);
        waiting.abort();
        assert.equal(await gaveUp, false, 'the second waits while the first leads');
        const takeover = second.acquire();
        // The leader's connection ends as a killed process's would.
        await first.close();
        assert.equal(await takeover, true);
        assert.equal(await second.held(), true);
      } finally {
        await first.close();
        await second.close();
        await schema.drop();
      }
    });
  });
});
