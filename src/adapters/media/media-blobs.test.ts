import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { runMediaBlobsContract } from './contract/index.js';
import { openPostgresMediaBlobs, openSqliteMediaBlobs } from './index.js';

runMediaBlobsContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-media-blobs-'));
  const file = join(dir, 'newsmirror.db');
  // The blobs open (and migrate) the file first; the store's own connection shares it.
  const blobs = openSqliteMediaBlobs(file);
  const store = openSqliteStore(file);
  return {
    blobs,
    cleanup: async () => {
      await blobs.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('PostgreSQL media blobs', { skip: TEST_POSTGRES.skip }, () => {
  runMediaBlobsContract('postgres', async () => {
    const schema = await createTestSchema();
    const blobs = await openPostgresMediaBlobs(schema.url, { schema: schema.schema });
    return {
      blobs,
      cleanup: async () => {
        await blobs.close();
        await schema.drop();
      },
    };
  });
});
