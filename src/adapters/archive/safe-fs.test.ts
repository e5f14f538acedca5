import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveInside, writeFileAtomic } from './safe-fs.js';

let scratch: string;
before(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'newsmirror-safe-fs-')));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('SF-01 replaces a file whole and leaves no temporary behind', async () => {
    const folder = join(scratch, 'replace');
    await mkdir(folder);
    await writeFile(join(folder, 'a.txt'), 'old');
    await writeFileAtomic(join(folder, 'a.txt'), Buffer.from('new'), { syncFolder: true });
    assert.equal(await readFile(join(folder, 'a.txt'), 'utf8'), 'new');
    assert.deepEqual(await readdir(folder), ['a.txt']);
  });

  it('SF-02 refuses a symbolic link at the target and leaves what it points to alone', async () => {
    const folder = join(scratch, 'link');
    await mkdir(folder);
    await writeFile(join(scratch, 'outside.txt'), 'keep');
    await symlink(join(scratch, 'outside.txt'), join(folder, 'a.txt'));
    await assert.rejects(writeFileAtomic(join(folder, 'a.txt'), Buffer.from('x')), /symbolic link/);
    assert.equal(await readFile(join(scratch, 'outside.txt'), 'utf8'), 'keep');
    assert.deepEqual(await readdir(folder), ['a.txt']);
  });

  it('SF-03 throws the file-system error when the folder is missing', async () => {
    await assert.rejects(writeFileAtomic(join(scratch, 'missing', 'a.txt'), Buffer.from('x')), { code: 'ENOENT' });
  });
});

describe('resolveInside', () => {
  it('SF-04 creates missing folders and refuses a folder that links outside the root', async () => {
    const root = join(scratch, 'root');
    await mkdir(root);
    assert.equal(await resolveInside(root, ['media', 'ab', 'x.jpg'], true), join(root, 'media', 'ab', 'x.jpg'));
    await mkdir(join(scratch, 'elsewhere'));
    await symlink(join(scratch, 'elsewhere'), join(root, 'media', 'cd'));
    await assert.rejects(resolveInside(root, ['media', 'cd', 'y.jpg'], true), /links outside the archive/);
  });
});
