import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { EXIT } from './exit-codes.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('cli', () => {
  it('CLI-01 --help lists every command and the exit codes', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, EXIT.OK);
    for (const command of ['init', 'sync', 'status', 'rebuild', 'reclean']) assert.match(result.stdout, new RegExp(`^  ${command} `, 'm'));
    assert.match(result.stdout, /Exit codes: 0 ok, 1 /);
  });

  it('CLI-02 an unknown command or flag is a usage error (2)', async () => {
    assert.equal((await run(['frobnicate'])).code, EXIT.USAGE);
    assert.equal((await run(['sync', '--bogus'])).code, EXIT.USAGE);
  });

  it('CLI-03 init writes a valid config once and refuses to overwrite it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-cli-'));
    try {
      const config = join(dir, 'newsmirror.yaml');
      assert.equal((await run(['init', '--config', config])).code, EXIT.OK);
      assert.match(await readFile(config, 'utf8'), /url: https:\/\/feedx\.net\/rss\/rfi\.xml/);
      const again = await run(['init', '--config', config]);
      assert.equal(again.code, EXIT.USAGE);
      assert.match(again.stderr, /exists; not overwritten/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('CLI-04 an invalid config lists every error with its path and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-cli-'));
    try {
      const config = join(dir, 'bad.yaml');
      await writeFile(config, 'sources:\n  - { id: a, name: A, url: "not a url" }\n  - { id: a, name: B, url: "https://x.example/" }\n');
      const result = await run(['sync', '--config', config]);
      assert.equal(result.code, EXIT.USAGE);
      assert.match(result.stderr, /sources\[0\]\.url: not an absolute http\(s\) URL/);
      assert.match(result.stderr, /sources\[1\]\.id: duplicate source id "a"/);
      const missing = await run(['status', '--config', join(dir, 'nope.yaml')]);
      assert.equal(missing.code, EXIT.USAGE);
      assert.match(missing.stderr, /hint: create one with `newsmirror init`/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('CLI-05 an unknown --source id is a usage error naming the known ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-cli-'));
    try {
      const config = join(dir, 'newsmirror.yaml');
      await writeFile(config, 'archive: ./a\ndatabase: ./s.db\nsources:\n  - { id: rfi, name: RFI, url: "https://feedx.net/rss/rfi.xml" }\n');
      const result = await run(['sync', '--config', config, '--source', 'bbc']);
      assert.equal(result.code, EXIT.USAGE);
      assert.match(result.stderr, /unknown source id\(s\): bbc/);
      assert.match(result.stderr, /known: rfi/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
