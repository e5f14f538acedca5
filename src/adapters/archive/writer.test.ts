import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NewsmirrorError } from '../../core/errors.js';
import { createArchiveWriter, removeStaleTemporaries } from './writer.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'newsmirror-archive-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function freshRoot(name: string): Promise<string> {
  const root = join(scratch, name);
  await mkdir(root, { recursive: true });
  return root;
}

async function filesBelow(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(folder.length + 1)).sort();
}

describe('createArchiveWriter', () => {
  it('W01 creates folders, writes, reads back, and lists recursively in sorted order', async () => {
    const root = await freshRoot('w01');
    const writer = createArchiveWriter(root);
    assert.equal(await writer.write('articles/rfi/2023/10/20/1815-a.md', '文章\n'), true);
    assert.equal(await writer.write('lists/rfi.md', new TextEncoder().encode('list')), true);
    assert.equal(await writer.write('README.md', 'readme'), true);
    assert.equal(await readFile(join(root, 'articles/rfi/2023/10/20/1815-a.md'), 'utf8'), '文章\n');
    assert.equal(await writer.read('lists/rfi.md'), 'list');
    assert.equal(await writer.read('lists/missing.md'), undefined);
    assert.equal(await writer.read('nowhere/missing.md'), undefined);
    assert.deepEqual(await writer.list(''), ['README.md', 'articles/rfi/2023/10/20/1815-a.md', 'lists/rfi.md']);
    assert.deepEqual(await writer.list('articles'), ['articles/rfi/2023/10/20/1815-a.md']);
    assert.deepEqual(await writer.list('articles/none'), []);
  });

  it('W02 does not rewrite a file whose content is unchanged', async () => {
    const root = await freshRoot('w02');
    const writer = createArchiveWriter(root);
    const path = join(root, 'a/b.md');
    assert.equal(await writer.write('a/b.md', 'same'), true);
    const old = new Date(Date.UTC(2020, 0, 1));
    await import('node:fs/promises').then((fs) => fs.utimes(path, old, old));
    const inode = (await stat(path)).ino;
    assert.equal(await writer.write('a/b.md', 'same'), false);
    assert.equal(await writer.write('a/b.md', Buffer.from('same')), false);
    assert.equal((await stat(path)).mtimeMs, old.getTime());
    assert.equal((await stat(path)).ino, inode);
    assert.equal(await writer.write('a/b.md', 'changed'), true);
    assert.equal(await readFile(path, 'utf8'), 'changed');
    assert.notEqual((await stat(path)).ino, inode, 'replaced by rename, not rewritten in place');
    assert.deepEqual(await filesBelow(root), ['a/b.md']);
  });

  it('W03 refuses paths that could leave the archive', async () => {
    const root = await freshRoot('w03');
    const outside = await freshRoot('w03-outside');
    await mkdir(join(root, 'inside'));
    await symlink(outside, join(root, 'escape'));
    await symlink(join(root, 'inside'), join(root, 'alias'));
    await writeFile(join(outside, 'secret.md'), 'secret');
    await symlink(join(outside, 'secret.md'), join(root, 'link.md'));
    const writer = createArchiveWriter(root);
    const refused = ['/etc/passwd', '../x.md', 'a/../../x.md', 'a/./b.md', 'a//b.md', '', 'a\\b.md', 'a\0b.md', 'escape/x.md', 'escape/deeper/x.md', 'link.md', 'C:/x.md', 'a/.tmp-1'];
    for (const path of refused) {
      await assert.rejects(writer.write(path, 'x'), (e: unknown) => e instanceof NewsmirrorError && e.code === 'archive', `write ${JSON.stringify(path)}`);
    }
    await assert.rejects(writer.read('escape/secret.md'), NewsmirrorError);
    await assert.rejects(writer.read('../w03-outside/secret.md'), NewsmirrorError);
    await assert.rejects(writer.list('escape'), NewsmirrorError);
    await assert.rejects(writer.list('..'), NewsmirrorError);
    assert.deepEqual(await filesBelow(outside), ['secret.md']);
    assert.equal(await readFile(join(outside, 'secret.md'), 'utf8'), 'secret');
    // Refused even once the folder is known to this writer.
    assert.equal(await writer.write('known.md', 'x'), true);
    await assert.rejects(writer.write('link.md', 'x'), NewsmirrorError);
    assert.equal(await readFile(join(outside, 'secret.md'), 'utf8'), 'secret');
    // A link that stays inside the archive is followed.
    assert.equal(await writer.write('alias/ok.md', 'ok'), true);
    assert.equal(await readFile(join(root, 'inside/ok.md'), 'utf8'), 'ok');
  });

  it('W09 recreates a folder removed behind its back', async () => {
    const root = await freshRoot('w09');
    const writer = createArchiveWriter(root);
    await writer.write('a/b/c.md', 'one');
    await rm(join(root, 'a'), { recursive: true });
    assert.equal(await writer.write('a/b/d.md', 'two'), true);
    assert.deepEqual(await filesBelow(root), ['a/b/d.md']);
  });

  it('W04 refuses to write through a file standing where a folder should be', async () => {
    const root = await freshRoot('w04');
    const writer = createArchiveWriter(root);
    await writer.write('a.md', 'file');
    await assert.rejects(writer.write('a.md/b.md', 'x'), NewsmirrorError);
  });

  it('W05 reports a missing root as an archive error', async () => {
    const writer = createArchiveWriter(join(scratch, 'does-not-exist'));
    await assert.rejects(writer.write('a.md', 'x'), (e: unknown) => e instanceof NewsmirrorError && e.code === 'archive');
  });

  it('W06 leaves no temporary file behind, with or without folder syncs', async () => {
    const root = await freshRoot('w06');
    for (const writer of [createArchiveWriter(root, { syncDirectories: true }), createArchiveWriter(root, { syncFiles: false })]) {
      await Promise.all(Array.from({ length: 40 }, (_, i) => writer.write(`d/${i % 7}/f${i}.md`, `v${i}`)));
      await Promise.all(Array.from({ length: 40 }, (_, i) => writer.write(`d/${i % 7}/f${i}.md`, `w${i}`)));
    }
    const files = await filesBelow(root);
    assert.equal(files.length, 40);
    assert.ok(files.every((f) => !f.includes('.tmp-')));
  });
});

describe('removeStaleTemporaries', () => {
  it('W10 writes with blocking calls as it writes without them, and checks a new folder from the nearest one it knows', async () => {
    const root = await freshRoot('w10');
    const outside = await freshRoot('w10-outside');
    await writeFile(join(outside, 'secret.md'), 'secret');
    await symlink(join(outside, 'secret.md'), join(root, 'link.md'));
    for (const writer of [createArchiveWriter(root, { blocking: true, syncFiles: false }), createArchiveWriter(root, { blocking: true, syncDirectories: true })]) {
      assert.equal(await writer.write('a/b.md', 'one'), true);
      const inode = (await stat(join(root, 'a/b.md'))).ino;
      assert.equal(await writer.write('a/b.md', 'one'), false);
      assert.equal((await stat(join(root, 'a/b.md'))).ino, inode, 'unchanged content is not written');
      assert.equal(await writer.write('a/b.md', new TextEncoder().encode('二'.repeat(70_000))), true);
      assert.equal(await readFile(join(root, 'a/b.md'), 'utf8'), '二'.repeat(70_000));
      await assert.rejects(writer.write('link.md', 'x'), (e: unknown) => e instanceof NewsmirrorError && e.code === 'archive');
      // A new folder below a known one is still checked: here a link out of the archive.
      await symlink(outside, join(root, 'a/out'));
      await assert.rejects(writer.write('a/out/x.md', 'x'), /links outside the archive/);
      await rm(join(root, 'a'), { recursive: true });
      assert.equal(await writer.write('a/c.md', 'two'), true, 'a folder removed behind its back is made again');
    }
    assert.equal(await readFile(join(outside, 'secret.md'), 'utf8'), 'secret');
    assert.deepEqual(await filesBelow(root), ['a/c.md']);
  });

  it('W07 removes .tmp-* files everywhere but .git and leaves everything else', async () => {
    const root = await freshRoot('w07');
    await mkdir(join(root, 'articles/x'), { recursive: true });
    await mkdir(join(root, '.git/objects'), { recursive: true });
    await writeFile(join(root, '.tmp-aaaa'), 'half');
    await writeFile(join(root, 'articles/x/.tmp-bbbb'), 'half');
    await writeFile(join(root, 'articles/x/keep.md'), 'keep');
    await writeFile(join(root, 'articles/x/tmp-not.md'), 'keep');
    await writeFile(join(root, '.git/objects/.tmp-git'), 'git');
    assert.equal(await removeStaleTemporaries(root), 2);
    assert.deepEqual(await filesBelow(root), ['.git/objects/.tmp-git', 'articles/x/keep.md', 'articles/x/tmp-not.md']);
    assert.equal(await removeStaleTemporaries(root), 0);
    assert.equal(await removeStaleTemporaries(join(root, 'missing')), 0);
  });
});

describe('crash safety', { timeout: 60_000 }, () => {
  it('W08 a writer killed at any moment leaves the old or the new file, never a half one', async (t) => {
    const root = await freshRoot('w08');
    const size = 2_000_000;
    const versions = new Set(['A', 'B'].map((letter) => `${letter}:${letter.repeat(size)}\n`));
    const child = new URL('./testdata/crash-writer.ts', import.meta.url).pathname;
    let killedWithTemporary = 0;
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, root, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        proc.once('error', reject);
        proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
        proc.stdout.once('data', () => resolve());
      });
      proc.removeAllListeners('exit');
      // Vary the moment of the kill across rounds, from immediately to well into the loop.
      await new Promise((resolve) => setTimeout(resolve, (round * 7) % 45));
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
      const content = await readFile(join(root, 'articles/big/file.md'), 'utf8');
      assert.ok(versions.has(content), `round ${round}: target is a complete version (${content.length} chars)`);
      const leftovers = (await filesBelow(root)).filter((f) => f.split('/').at(-1)!.startsWith('.tmp-'));
      if (leftovers.length > 0) killedWithTemporary++;
      await removeStaleTemporaries(root);
      assert.ok((await filesBelow(root)).every((f) => !f.includes('.tmp-')), `round ${round}: temporaries removed`);
    }
    t.diagnostic(`${killedWithTemporary} of ${rounds} kills left a temporary file, all removed`);
    // A writer started after the crash finishes the job as usual.
    const writer = createArchiveWriter(root);
    await writer.write('articles/big/file.md', 'final\n');
    assert.equal(await writer.read('articles/big/file.md'), 'final\n');
  });
});
