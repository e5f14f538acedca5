import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { openPostgresStore } from '../store/postgres/index.js';
import { runMediaStateContract } from './contract/index.js';
import { createMemoryMediaState, openPostgresMediaState, openSqliteMediaState } from './index.js';

runMediaStateContract('memory', async () => ({ state: createMemoryMediaState(), cleanup: async () => undefined }));

runMediaStateContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-media-state-'));
  const file = join(dir, 'newsmirror.db');
  // The store's own connection and the media state share one database file.
  const store = openSqliteStore(file);
  const state = openSqliteMediaState(file);
  return {
    state,
    cleanup: async () => {
      await state.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('PostgreSQL media state', { skip: TEST_POSTGRES.skip }, () => {
  runMediaStateContract('postgres', async () => {
    const schema = await createTestSchema();
    // The store and the media state share one schema; either may migrate it.
    const state = await openPostgresMediaState(schema.url, { schema: schema.schema });
    const store = await openPostgresStore(schema.url, { schema: schema.schema });
    return {
      state,
      cleanup: async () => {
        await state.close();
        await store.close();
        await schema.drop();
      },
    };
  });
});
