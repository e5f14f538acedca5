import { describe } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
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
