import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildRss, loadCorpusRows, rowToItem, SOURCE_IDS, SHARED_CORPUS } from '../helpers/corpus.js';
import { startServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK = '1700000000000';

/** runSync runs the real CLI in a child process; with `killAfterMs` it is SIGKILLed at that moment. */
function runSync(config: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'sync', '--config', config], {
      cwd: REPO,
      env: { ...process.env, NEWSMIRROR_CLOCK: CLOCK },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

function dumpStore(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return {
      articles: db.prepare('SELECT * FROM articles ORDER BY id').all(),
      versions: db.prepare('SELECT * FROM article_versions ORDER BY article_id, version').all(),
      raw: db.prepare('SELECT * FROM raw_items ORDER BY article_id, version').all(),
    };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: Awaited<ReturnType<typeof startServer>>;
  const feeds = new Map<string, string>();

  before(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    temp = await makeTempDir();
    const rows = loadCorpusRows(SHARED_CORPUS).filter((row) => row.flags.length === 0);
    for (const [folder, id] of Object.entries(SOURCE_IDS)) {
      const items = rows.filter((row) => row.source === folder).slice(0, 60).map(rowToItem);
      feeds.set(id, buildRss({ title: id, link: 'https://example.com/' }, items));
    }
    server = await startServer((req, res) => {
      const id = /^\/feeds\/([a-z]+)\.xml$/.exec(req.url ?? '')?.[1];
      const body = id ? feeds.get(id) : undefined;
      if (!body) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    });
  });
  after(async () => {
    if (SHARED_CORPUS.skip !== false) return;
    await server.close();
    await temp.cleanup();
  });

  async function makeSite(name: string): Promise<{ dir: string; config: string }> {
    const dir = join(temp.dir, name);
    await mkdir(dir, { recursive: true });
    const sources = Object.values(SOURCE_IDS)
      .map((id) => `  - { id: ${id}, name: ${id}, url: "${server.url}/feeds/${id}.xml", fulltext: feed }`)
      .join('\n');
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nnetwork: { allowPrivateNetworks: true, concurrency: 3 }\nmedia: { enabled: false }\nsources:\n${sources}\n`);
    return { dir, config };
  }

  it('CRASH-01 SIGKILL at ten different moments, then one full sync: same archive and store as an uninterrupted sync', { skip: SHARED_CORPUS.skip }, async () => {
    const reference = await makeSite('reference');
    const clean = await runSync(reference.config);
    assert.equal(clean.code, 0, clean.stderr);

    const crashed = await makeSite('crashed');
    const kills = [150, 300, 450, 600, 750, 900, 1050, 1200, 1400, 1700];
    let killed = 0;
    for (const delay of kills) {
      const run = await runSync(crashed.config, delay);
      if (run.signal === 'SIGKILL') killed++;
    }
    assert.ok(killed >= 5, `at least half of the runs were killed mid-way (${killed})`);
    const final = await runSync(crashed.config);
    assert.equal(final.code, 0, final.stderr);

    const [expectedTree, actualTree] = await Promise.all([snapshotTree(join(reference.dir, 'archive')), snapshotTree(join(crashed.dir, 'archive'))]);
    const shas = (tree: Map<string, { sha: string }>) => new Map([...tree].map(([path, entry]) => [path, entry.sha]));
    assert.deepEqual(shas(actualTree), shas(expectedTree));
    assert.ok(![...actualTree.keys()].some((path) => path.includes('.tmp-')), 'no temporary file left behind');
    assert.deepEqual(dumpStore(join(crashed.dir, 'store.db')), dumpStore(join(reference.dir, 'store.db')));
  });
});
