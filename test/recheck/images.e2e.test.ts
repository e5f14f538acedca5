/**
 * A re-check that finds an edit with a new photo mirrors the photo as a sync would: the edit's file
 * points into the archive's media/, the image file is there, and no hotlink to the publisher is left
 * (readers behind a firewall cannot load it). Through the built CLI (dist/: `npm run build` first).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';
import { startPublisher, type Publisher } from './publisher.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 0, 0);
const run = promisify(execFile);

async function cli(dir: string, at: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args, '--config', join(dir, 'newsmirror.yaml')], { cwd: dir, env: { ...process.env, NEWSMIRROR_CLOCK: String(at) } });
  return stdout;
}

describe('re-checked edits get their images mirrored', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let publisher: Publisher;

  before(async () => {
    await access(BIN).catch(() => assert.fail('dist/cli/bin.js is missing: run `npm run build` first'));
    temp = await makeTempDir('newsmirror-recheck-images-');
    publisher = await startPublisher(2, T0);
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nsources:\n  - { id: pub, name: "样本出版社", url: "${publisher.feedUrl}", fulltext: feed }\n`,
    );
  });
  after(async () => {
    await publisher.server.close();
    await temp.cleanup();
  });

  it('RE-04 an edit that adds a photo: the new version points into media/ and the photo is in the archive', async () => {
    await cli(temp.dir, T0, 'sync');
    const edited = publisher.articles.get(1);
    assert.ok(edited);
    edited.mode = 'pictured';
    const output = await cli(temp.dir, T0 + HOUR, 'recheck');
    assert.match(output, /1 edited/);

    const db = new Database(join(temp.dir, 'store.db'), { readonly: true });
    const row = db.prepare('SELECT path, version FROM articles WHERE url = ?').get(publisher.pageUrl(1)) as { path: string; version: number } | undefined;
    db.close();
    assert.equal(row?.version, 2);
    const archive = join(temp.dir, 'archive');
    const file = await readFile(join(archive, row.path), 'utf8');
    assert.ok(file.includes('现场拍摄的照片'), 'the file holds the edited text');
    const image = /<img [^>]*src="((?:\.\.\/)+media\/[0-9a-f]{2}\/[0-9a-f]{64}\.png)"/.exec(file);
    assert.ok(image, `the photo points into media/: ${file}`);
    const tree = await snapshotTree(archive);
    assert.ok(tree.has(image[1]!.replace(/^(\.\.\/)+/, '')), 'the photo file is in the archive');
    assert.doesNotMatch(file, new RegExp(`\\ssrc="${publisher.server.url}`), 'no hotlink is left');
  });
});
