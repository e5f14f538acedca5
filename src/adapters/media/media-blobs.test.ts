import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createTestSchema, TEST_POSTGRES } from '../../../test/helpers/postgres.js';
import { MIGRATIONS, openSqliteStore } from '../store/sqlite/index.js';
import { blobOf, runMediaBlobsContract } from './contract/index.js';
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

it('MB-SQ-01 the upgrade releases the bytes of blobs written before it and keeps pending ones', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-media-blobs-'));
  try {
    const file = join(dir, 'newsmirror.db');
    const release = MIGRATIONS.findIndex((sql) => sql.includes('UPDATE media_blobs SET bytes'));
    assert.ok(release > 0);
    const old = new Database(file);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
    MIGRATIONS.slice(0, release).forEach((sql, index) => {
      old.exec(sql);
      old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(index + 1);
    });
    const written = Buffer.from('written before the upgrade');
    const pending = Buffer.from('pending at the upgrade');
    const insert = old.prepare('INSERT INTO media_blobs (path, bytes, size, pending) VALUES (?, ?, ?, ?)');
    insert.run(blobOf(written), written, written.length, 0);
    insert.run(blobOf(pending), pending, pending.length, 1);
    old.close();

    const blobs = openSqliteMediaBlobs(file);
    assert.equal(await blobs.read(blobOf(written)), undefined);
    assert.equal(await blobs.size(blobOf(written)), written.length);
    assert.deepEqual(Buffer.from((await blobs.read(blobOf(pending))) ?? []), pending);
    await blobs.close();
    const check = new Database(file, { readonly: true });
    const row = check.prepare('SELECT length(bytes) AS length FROM media_blobs WHERE path = ?').get(blobOf(written)) as { length: number };
    check.close();
    assert.equal(row.length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
