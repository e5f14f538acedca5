import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
import { runStoreTablesContract } from './contract/index.js';
import { openPostgresStore, openPostgresStoreTables } from './postgres/index.js';
import { openSqliteStore, openSqliteStoreTables } from './sqlite/index.js';

runStoreTablesContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-tables-'));
  const file = join(dir, 'newsmirror.db');
  const tables = openSqliteStoreTables(file);
  const store = openSqliteStore(file);
  return {
    tables,
    store,
    cleanup: async () => {
      await tables.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('PostgreSQL store tables', { skip: TEST_POSTGRES.skip }, () => {
  runStoreTablesContract('postgres', async () => {
    const schema = await createTestSchema();
    const tables = await openPostgresStoreTables(schema.url, { schema: schema.schema });
    const store = await openPostgresStore(schema.url, { schema: schema.schema });
    return {
      tables,
      store,
      cleanup: async () => {
        await tables.close();
        await store.close();
        await schema.drop();
      },
    };
  });
});
