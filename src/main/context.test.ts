import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../test/helpers/tmp.js';
import { EXIT } from '../cli/exit-codes.js';
import { main } from '../cli/main.js';
import { isNewsmirrorError } from '../core/errors.js';
import { sqliteFileOf } from './context.js';

describe('composition root', () => {
  it('MAIN-01 a PostgreSQL database URL is a config error (exit 2) for every command that opens the store, and nothing is created', async () => {
    const tmp = await makeTempDir('newsmirror-main-');
    try {
      for (const scheme of ['postgres', 'postgresql']) {
        const file = join(tmp.dir, `${scheme}.yaml`);
        await writeFile(file, `archive: ./archive\ndatabase: "${scheme}://mirror:s3cret@db.test:5432/news"\nsources:\n  - { id: rfi, name: RFI, url: "https://news.test/rfi.xml" }\n`);
        for (const command of [['status'], ['search', '香港'], ['serve', '--port', '0'], ['sync'], ['reindex']]) {
          let stderr = '';
          const code = await main([...command, '--config', file], {
            stdout: { write: () => true },
            stderr: { write: (text: string) => (stderr += text) },
            env: {},
            cwd: tmp.dir,
          });
          assert.equal(code, EXIT.USAGE, `${scheme} ${command[0]}: ${stderr}`);
          assert.match(stderr, /database: postgres(?:ql)?:\/\/… is a PostgreSQL URL, and this version has no PostgreSQL store/);
          assert.match(stderr, /hint: set `database` to a SQLite file path/);
          assert.doesNotMatch(stderr, /s3cret/, 'the password is never printed');
        }
      }
      assert.deepEqual((await readdir(tmp.dir)).sort(), ['postgres.yaml', 'postgresql.yaml'], 'no SQLite file, no folder named after the scheme, no archive');
    } finally {
      await tmp.cleanup();
    }
  });

  it('MAIN-02 a file path is the SQLite database; any other URL is refused', () => {
    assert.equal(sqliteFileOf('/srv/news/newsmirror.db'), '/srv/news/newsmirror.db');
    assert.equal(sqliteFileOf(':memory:'), ':memory:');
    assert.throws(() => sqliteFileOf('mysql://x@db/news'), (error: unknown) => isNewsmirrorError(error) && error.code === 'config-invalid' && /not a SQLite file path/.test(error.message));
  });
});
