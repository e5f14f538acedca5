import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NewsmirrorError } from '../../core/errors.js';
import { openArchiveThread, type ThreadedArchiveWriter } from './index.js';

describe('openArchiveThread', () => {
  let root: string;
  let writer: ThreadedArchiveWriter;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'newsmirror-archive-thread-'));
    writer = openArchiveThread(root, { syncFiles: false });
  });
  after(async () => {
    await writer.close();
    await rm(root, { recursive: true, force: true });
  });

  it('AT01 writes as the writer does: folders made, text and bytes, unchanged content not rewritten, read and listed back', async () => {
    assert.equal(await writer.write('articles/rfi/2020/07/01/0800-a.md', '文章\n'), true);
    assert.equal(await writer.write('lists/rfi.md', new TextEncoder().encode('list')), true);
    assert.equal(await writer.write('articles/rfi/2020/07/01/0800-a.md', '文章\n'), false);
    assert.equal(await readFile(join(root, 'articles/rfi/2020/07/01/0800-a.md'), 'utf8'), '文章\n');
    assert.equal(await writer.read('lists/rfi.md'), 'list');
    assert.deepEqual(await writer.list(''), ['articles/rfi/2020/07/01/0800-a.md', 'lists/rfi.md']);
  });

  it('AT02 many writes in flight each land', async () => {
    const paths = Array.from({ length: 50 }, (_, index) => `articles/bbc/2020/07/02/0900-${index}.md`);
    assert.deepEqual(await Promise.all(paths.map((path, index) => writer.write(path, `v${index}\n`))), paths.map(() => true));
    for (const [index, path] of paths.entries()) assert.equal(await readFile(join(root, path), 'utf8'), `v${index}\n`);
  });

  // With no `sync` command on its PATH, the thread falls back to an fsync of each file and folder.
  for (const [label, path] of [['with sync -f', process.env.PATH], ['with an fsync each', '/nonexistent']] as const) {
    it(`AT04 with deferSync, writes land at once and sync answers once their files and folders are synced, also when one has gone since (${label})`, async () => {
      const saved = process.env.PATH;
      process.env.PATH = path;
      const deferred = openArchiveThread(root, { deferSync: true });
      process.env.PATH = saved;
      try {
        assert.equal(await deferred.write('articles/dw/2020/07/03/1000-a.md', 'a\n'), true);
        assert.equal(await deferred.write('articles/dw/2020/07/04/1000-b.md', 'b\n'), true);
        assert.equal(await readFile(join(root, 'articles/dw/2020/07/03/1000-a.md'), 'utf8'), 'a\n');
        await unlink(join(root, 'articles/dw/2020/07/04/1000-b.md'));
        await deferred.sync();
        await deferred.sync();
        await rm(join(root, 'articles/dw'), { recursive: true });
      } finally {
        await deferred.close();
      }
    });
  }

  it("AT03 a refused path is the writer's archive error, with its code and stage", async () => {
    await symlink(tmpdir(), join(root, 'outside'));
    for (const path of ['../escape.md', 'outside/x.md']) {
      await assert.rejects(writer.write(path, 'x'), (error: unknown) => {
        assert.ok(error instanceof NewsmirrorError);
        assert.equal(error.code, 'archive');
        assert.equal(error.stage, 'archive');
        assert.match(error.message, /^archive: refused path/);
        return true;
      });
    }
  });
});
