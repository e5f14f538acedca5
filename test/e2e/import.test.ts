import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { FIXTURE_CORPUS, loadCorpusRows } from '../helpers/corpus.js';
import { buildHistory, dutyMachineText, type HistoryCommit } from '../helpers/dutymachine.js';
import { testGitEnv } from '../helpers/git.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK = '1700000000000';
const T0 = Date.UTC(2020, 6, 1);

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** runImport runs the real CLI in a child process; with `killWhen` it is SIGKILLed as soon as that says so (polled). */
function runImport(args: string[], killWhen?: () => boolean): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'import-dutymachine', ...args], {
      cwd: REPO,
      env: { ...testGitEnv(), NEWSMIRROR_CLOCK: CLOCK },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killWhen()) child.kill('SIGKILL');
          }, 20);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// The articles a store holds, read beside the process writing it; undefined while it cannot be read yet.
function countArticles(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
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

// A history long enough to be killed in the middle: the fixture rows, each published under several
// links, a few per commit, with every fifth article rewritten later (a second version).
function longHistory(): HistoryCommit[] {
  const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => row.flags.length === 0);
  const commits: HistoryCommit[] = [];
  let n = 0;
  for (let round = 0; round < 12; round++) {
    for (let start = 0; start < rows.length; start += 4) {
      const files: Record<string, string> = {};
      for (const row of rows.slice(start, start + 4)) {
        n++;
        const link = `${row.link}${row.link.includes('?') ? '&' : '?'}copy=${round}`;
        const html = n % 5 === 0 && round > 0 ? `${row.html}<p>更正 ${round}</p>` : row.html;
        files[row.path.replace('.md', `_${round}.md`)] = dutyMachineText({ ...row, link, html });
      }
      commits.push({ time: T0 + commits.length * 60_000, files });
    }
  }
  return commits;
}

describe('newsmirror import-dutymachine', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let oldRepo: string;

  before(async () => {
    temp = await makeTempDir('newsmirror-import-e2e-');
    oldRepo = join(temp.dir, 'old');
    buildHistory(oldRepo, [
      ...longHistory(),
      { time: T0 + 86_400_000, files: { 'articles/联合早报/1.md': '<!--1593597319000-->\n[早报](https://www.zaobao.com.sg/1)\n------\n\n<p>早报正文</p>\n' } },
    ]);
  });
  after(async () => temp.cleanup());

  async function makeSite(name: string, extraSource = ''): Promise<{ dir: string; config: string }> {
    const dir = join(temp.dir, name);
    await mkdir(dir, { recursive: true });
    const ids = ['rfi', 'bbc', 'voa', 'dw', 'nytimes', 'reuters', 'ft', 'rfa', 'cdt'];
    const sources = ids.map((id) => `  - { id: ${id}, name: ${id}, url: "https://feeds.example.test/${id}.xml" }`).join('\n');
    const config = join(dir, 'newsmirror.yaml');
    await writeFile(config, `archive: ./archive\ndatabase: ./store.db\nmedia: { enabled: false }\nsources:\n${sources}\n${extraSource}`);
    return { dir, config };
  }

  it('IMP-E01 reports in JSON, says which folder has no source, and imports it once mapped; a re-run adds nothing', async () => {
    const site = await makeSite('json', '  - { id: zaobao, name: 联合早报, url: "https://feeds.example.test/zaobao.xml" }\n');
    const unmapped = await runImport([oldRepo, '--config', site.config, '--json']);
    assert.equal(unmapped.code, 1, unmapped.stderr);
    const first = JSON.parse(unmapped.stdout) as { unmappedFolders: Record<string, number>; newArticles: number; versionsRead: number; commits: number };
    assert.deepEqual(first.unmappedFolders, { 联合早报: 1 });
    assert.ok(first.newArticles > 300);

    const mapped = await runImport([oldRepo, '--config', site.config, '--json', '--map', '联合早报=zaobao']);
    assert.equal(mapped.code, 0, mapped.stderr);
    const second = JSON.parse(mapped.stdout) as typeof first & { newVersions: number };
    assert.deepEqual([second.newArticles, second.newVersions, second.versionsRead, second.commits], [1, 0, first.versionsRead, first.commits]);

    const again = await runImport([oldRepo, '--config', site.config, '--map', '联合早报=zaobao']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /stored now: 0 new article\(s\), 0 later version\(s\)/);
  });

  it('IMP-E02 a path that is no clone and a bad --map are usage errors', async () => {
    const site = await makeSite('usage');
    const notClone = await runImport([site.dir, '--config', site.config]);
    assert.equal(notClone.code, 2);
    assert.match(notClone.stderr, /not a local git clone/);
    const badMap = await runImport([oldRepo, '--config', site.config, '--map', 'nonsense']);
    assert.equal(badMap.code, 2);
    assert.match(badMap.stderr, /expected 文件夹=id/);
  });

  it('IMP-E03 SIGKILL at several moments, then one full run: the same store and archive as an uninterrupted import', async () => {
    const reference = await makeSite('reference');
    const clean = await runImport([oldRepo, '--config', reference.config]);
    assert.equal(clean.code, 1, clean.stderr);

    const crashed = await makeSite('crashed');
    // Each run is killed once it has stored something of its own, so every kill lands mid-import
    // whatever the machine's speed (a run that finishes first is simply not killed).
    const storeFile = join(crashed.dir, 'store.db');
    let killed = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = countArticles(storeFile) ?? 0;
      const run = await runImport([oldRepo, '--config', crashed.config], () => (countArticles(storeFile) ?? 0) > before);
      if (run.signal === 'SIGKILL') killed++;
    }
    assert.ok(killed >= 2, `some runs were killed mid-way (${killed})`);
    const final = await runImport([oldRepo, '--config', crashed.config]);
    assert.equal(final.code, 1, final.stderr);

    const [expectedTree, actualTree] = await Promise.all([snapshotTree(join(reference.dir, 'archive')), snapshotTree(join(crashed.dir, 'archive'))]);
    const shas = (tree: Map<string, { sha: string }>) => new Map([...tree].map(([path, entry]) => [path, entry.sha]));
    assert.deepEqual(shas(actualTree), shas(expectedTree));
    assert.deepEqual(dumpStore(join(crashed.dir, 'store.db')), dumpStore(join(reference.dir, 'store.db')));
  });
});
