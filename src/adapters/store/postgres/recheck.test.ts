import { describe } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../../test/helpers/postgres.js';
import { runRecheckContract } from '../contract/index.js';
import { openPostgresRecheckStore, openPostgresStore } from './index.js';

describe('PostgreSQL re-check store', { skip: TEST_POSTGRES.skip }, () => {
  runRecheckContract('postgres', async () => {
    const schema = await createTestSchema();
    // The store and the re-check store share one schema; either may migrate it.
    const recheck = await openPostgresRecheckStore(schema.url, { schema: schema.schema });
    const store = await openPostgresStore(schema.url, { schema: schema.schema });
    return {
      store,
      recheck,
      cleanup: async () => {
        await recheck.close();
        await store.close();
        await schema.drop();
      },
    };
  });
});
