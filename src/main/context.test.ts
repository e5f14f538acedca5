import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../test/helpers/tmp.js';
import { EXIT } from '../cli/exit-codes.js';
import { main } from '../cli/main.js';
import { isNewsmirrorError } from '../core/errors.js';
import { databaseOf, describeDatabase, sqliteFileOf } from './context.js';

describe('composition root', () => {
  it('MAIN-01 a PostgreSQL URL opens the PostgreSQL store: a server that does not answer is exit 3 with a hint, without the password, and nothing is created locally', async () => {
    const tmp = await makeTempDir('newsmirror-main-');
    try {
      for (const scheme of ['postgres', 'postgresql']) {
        const file = join(tmp.dir, `${scheme}.yaml`);
        // Port 1 on loopback refuses at once: no server, no waiting.
        await writeFile(file, `archive: ./archive\ndatabase: "${scheme}://mirror:s3cret@127.0.0.1:1/news"\nsources:\n  - { id: rfi, name: RFI, url: "https://news.test/rfi.xml" }\n`);
        for (const command of [['status'], ['search', '香港'], ['serve', '--port', '0']]) {
          let stderr = '';
          const code = await main([...command, '--config', file], {
            stdout: { write: () => true },
            stderr: { write: (text: string) => (stderr += text) },
            env: {},
            cwd: tmp.dir,
          });
          assert.equal(code, EXIT.UNAVAILABLE, `${scheme} ${command[0]}: ${stderr}`);
          assert.match(stderr, /store: postgres: .*ECONNREFUSED.*cannot be reached/, `${scheme} ${command[0]} names the stage and the cause: ${stderr}`);
          assert.match(stderr, /hint: check that the server is running/);
          assert.doesNotMatch(stderr, /s3cret/, 'the password is never printed');
        }
      }
      assert.deepEqual((await readdir(tmp.dir)).sort(), ['postgres.yaml', 'postgresql.yaml'], 'no SQLite file, no folder named after the scheme');
    } finally {
      await tmp.cleanup();
    }
  });

  it('MAIN-02 a file path is the SQLite database, a postgres URL the server (with its schema), any other URL is refused', () => {
    assert.deepEqual(databaseOf('/srv/news/newsmirror.db'), { engine: 'sqlite', file: '/srv/news/newsmirror.db' });
    assert.equal(sqliteFileOf(':memory:'), ':memory:');
    assert.deepEqual(databaseOf('postgres://u:p@db:5432/news?schema=mirror&sslmode=require'), {
      engine: 'postgres',
      url: 'postgres://u:p@db:5432/news?sslmode=require',
      schema: 'mirror',
    });
    assert.deepEqual(databaseOf('postgresql://db/news'), { engine: 'postgres', url: 'postgresql://db/news' });
    assert.doesNotMatch(describeDatabase('postgres://u:s3cret@db/news'), /s3cret/, 'no password in messages');
    assert.throws(() => sqliteFileOf('postgres://db/news'), (error: unknown) => isNewsmirrorError(error) && /PostgreSQL server, not a SQLite file/.test(error.message));
    assert.throws(() => databaseOf('mysql://x@db/news'), (error: unknown) => isNewsmirrorError(error) && error.code === 'config-invalid' && /neither a SQLite file path nor a PostgreSQL URL/.test(error.message));
  });
});
