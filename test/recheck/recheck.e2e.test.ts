/**
 * The re-check proof: a scripted publisher edits and removes articles while the real CLI (dist/, so
 * `npm run build` first) runs `sync` and `recheck` with the clock injected (NEWSMIRROR_CLOCK). Every
 * removal is confirmed exactly once, by two gone checks at least 6 hours apart; a 503 storm and a page
 * that always answers 503 remove nothing; each edit is a version with its file under `.versions/`; an
 * article that comes back has its removal withdrawn; `rebuild` restores versions and removals.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree.js';
import { startPublisher, type PageMode, type Publisher } from './publisher.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 0, 0);
const run = promisify(execFile);

const NOTICES = ['内容已删除', '该内容已被发布者删除', '此内容因违规无法查看', 'This page is no longer available'];
const REMOVED = [1, 2, 3, 4, 5, 6, 7, 13];

interface CliRun {
  code: number;
  stdout: string;
}

async function cli(dir: string, at: number, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout } = await run(process.execPath, [BIN, ...args, '--config', join(dir, 'newsmirror.yaml')], { cwd: dir, env: { ...process.env, NEWSMIRROR_CLOCK: String(at) } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

function counted(stdout: string, label: string): number {
  const match = new RegExp(`(\\d+) ${label}`).exec(stdout);
  assert.ok(match, `"${label}" in: ${stdout}`);
  return Number(match[1]);
}

interface RemovalRow {
  article_id: string;
  first_gone_at: number;
  confirmed_at: number | null;
  withdrawn_at: number | null;
  evidence: string;
}

function query<T>(dir: string, sql: string): T[] {
  const db = new Database(join(dir, 'store.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('re-checks against a scripted publisher, through the built CLI', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let publisher: Publisher;
  const idOf = new Map<string, number>();
  const confirmedPerRun: number[] = [];

  before(async () => {
    await access(BIN).catch(() => assert.fail('dist/cli/bin.js is missing: run `npm run build` first'));
    temp = await makeTempDir('newsmirror-recheck-');
    publisher = await startPublisher(13, T0);
    // Article 13 sits in the middle of the feed: when it leaves, newer and older items stay.
    const middle = publisher.articles.get(13);
    if (middle) middle.published = T0 - 6.5 * 60_000;
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\nsources:\n  - { id: pub, name: "样本出版社", url: "${publisher.feedUrl}", fulltext: feed }\n`,
    );
  });
  after(async () => {
    await publisher.server.close();
    await temp.cleanup();
  });

  const recheck = async (at: number, ...args: string[]): Promise<CliRun> => {
    const result = await cli(temp.dir, at, 'recheck', ...args);
    assert.equal(result.code, 0, result.stdout);
    confirmedPerRun.push(counted(result.stdout, 'confirmed'));
    return result;
  };

  it('RE-01 the scripted timeline: edits become versions, removals are confirmed once, 5xx never removes', async () => {
    const first = await cli(temp.dir, T0, 'sync');
    assert.equal(first.code, 0, first.stdout);
    for (const row of query<{ id: string; url: string }>(temp.dir, 'SELECT id, url FROM articles')) idOf.set(row.id, Number(/a-(\d+)\.html/.exec(row.url)?.[1]));
    assert.equal(idOf.size, 13);

    // +1 h: the first look finds every page as the feed had it.
    const look = await recheck(T0 + HOUR);
    assert.equal(counted(look.stdout, 'page\\(s\\) checked'), 13);
    assert.equal(counted(look.stdout, 'unchanged'), 13);

    // The publisher changes things.
    const set = (n: number, mode: PageMode): void => {
      const article = publisher.articles.get(n);
      if (article) article.mode = mode;
    };
    set(1, '404');
    set(2, '410');
    set(3, 'home');
    NOTICES.forEach((notice, index) => set(4 + index, { notice }));
    set(8, 'retitled');
    set(9, 'rewritten');
    set(10, '404');
    set(11, '503');
    set(13, '404');
    const middle = publisher.articles.get(13);
    if (middle) middle.inFeed = false;

    // +2 h: a sync sees article 13 gone from the middle of the feed; the re-check after it looks at 13 at once.
    assert.equal((await cli(temp.dir, T0 + 2 * HOUR, 'sync')).code, 0);
    const early = await recheck(T0 + 2 * HOUR);
    assert.equal(counted(early.stdout, 'early check\\(s\\)'), 1);
    assert.equal(counted(early.stdout, 'page\\(s\\) checked'), 1);
    assert.equal(counted(early.stdout, 'gone'), 1);

    // +3 h: a 503 storm; --all looks at every page not fetched in the last hour: nothing is removed.
    publisher.storm = true;
    const storm = await recheck(T0 + 3 * HOUR, '--all');
    publisher.storm = false;
    assert.equal(counted(storm.stdout, 'page\\(s\\) checked'), 12);
    assert.equal(counted(storm.stdout, 'unreachable'), 12);
    assert.equal(counted(storm.stdout, 'suspected'), 0);

    // +6 h: the scheduled look: gone pages suspected, edits recorded, the 503 page unreachable.
    const sixth = await recheck(T0 + 6 * HOUR);
    assert.equal(counted(sixth.stdout, 'edited'), 2);
    assert.equal(counted(sixth.stdout, 'suspected'), 8);
    assert.equal(counted(sixth.stdout, 'unreachable'), 1);

    // +12 h: the second gone checks, six hours on, confirm.
    const twelfth = await recheck(T0 + 12 * HOUR);
    assert.equal(counted(twelfth.stdout, 'confirmed'), 9);

    // +24 h: article 10 is back; its removal is withdrawn. Nothing is confirmed twice.
    set(10, 'ok');
    const day = await recheck(T0 + 24 * HOUR);
    assert.equal(counted(day.stdout, 'withdrawn'), 1);
    assert.equal(counted(day.stdout, 'edited'), 0);
    assert.equal(confirmedPerRun.reduce((sum, n) => sum + n, 0), 9);

    const removals = query<RemovalRow>(temp.dir, 'SELECT * FROM removals ORDER BY article_id');
    const byArticle = new Map(removals.map((row) => [idOf.get(row.article_id), row]));
    assert.equal(removals.length, 9, 'one removal episode per removed article, none for 503s or edits');
    for (const n of REMOVED) {
      const row = byArticle.get(n);
      assert.ok(row && row.confirmed_at !== null && row.withdrawn_at === null, `article ${n} removed`);
      const evidence = JSON.parse(row.evidence) as { at: number; status?: number; rule: string; finalUrl: string }[];
      assert.ok(evidence.length >= 2 && (evidence.at(-1)?.at ?? 0) - (evidence[0]?.at ?? 0) >= 6 * HOUR, `article ${n}: two gone checks 6 h apart`);
    }
    const rules = (n: number): string => (JSON.parse(byArticle.get(n)?.evidence ?? '[]') as { rule: string }[])[0]?.rule ?? '';
    assert.deepEqual([1, 2, 3].map(rules), ['http-404', 'http-410', 'redirect-home']);
    NOTICES.forEach((notice, index) => assert.equal(rules(4 + index).toLowerCase(), `notice:generic:${notice.toLowerCase()}`));
    assert.ok(byArticle.get(10)?.withdrawn_at === T0 + 24 * HOUR);
    assert.equal(byArticle.get(11), undefined, 'a page answering 503 is never removed');
  });

  it('RE-02 the archive keeps the history: versions beside the article, removals in the metadata and the lists', async () => {
    const archive = join(temp.dir, 'archive');
    const tree = await snapshotTree(archive);
    const versionFiles = [...tree.keys()].filter((path) => path.includes('.versions/')).sort();
    assert.equal(versionFiles.length, 2);
    const paths = new Map(query<{ id: string; path: string; version: number }>(temp.dir, 'SELECT id, path, version FROM articles').map((row) => [idOf.get(row.id), row]));
    for (const n of [8, 9]) {
      const article = paths.get(n);
      assert.equal(article?.version, 2);
      const v1 = await readFile(join(archive, (article?.path ?? '').replace(/\.md$/, '.versions/v1.md')), 'utf8');
      assert.match(v1, /"version":1/);
      assert.ok(v1.includes('官方媒体对此事的报道相对简短'), 'v1 holds the text before the edit');
    }
    const current8 = await readFile(join(archive, paths.get(8)?.path ?? ''), 'utf8');
    assert.ok(current8.includes('官方否认'), 'the article file shows the new title');
    const removed1 = await readFile(join(archive, paths.get(1)?.path ?? ''), 'utf8');
    assert.match(removed1, /"removedAt":\d+,"removalEvidence":\[\{"at":\d+,"finalUrl":"[^"]+","rule":"http-404","status":404\}|"removedAt":\d+/);
    const back10 = await readFile(join(archive, paths.get(10)?.path ?? ''), 'utf8');
    assert.doesNotMatch(back10, /removedAt/);
    const list = await readFile(join(archive, 'lists/removed.md'), 'utf8');
    assert.equal((list.match(/\]\(\.\.\/articles\//g) ?? []).length, 8);
    const sourceList = await readFile(join(archive, 'lists/pub.md'), 'utf8');
    assert.equal((sourceList.match(/原文已删除 removed/g) ?? []).length, 8);
    const readme = await readFile(join(archive, 'README.md'), 'utf8');
    assert.match(readme, /已删除 Removed/);
    assert.match(readme, /\| 13 \| 8 \|/);
  });

  it('RE-03 rebuild from the files alone restores every version and every standing removal', async () => {
    const versionsBefore = query<unknown>(temp.dir, 'SELECT article_id, version, title, body_html FROM article_versions ORDER BY article_id, version');
    const removedBefore = query<unknown>(temp.dir, 'SELECT article_id, confirmed_at, evidence FROM removals WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL ORDER BY article_id');
    const treeBefore = await snapshotTree(join(temp.dir, 'archive'));
    for (const suffix of ['', '-wal', '-shm']) await rm(join(temp.dir, `store.db${suffix}`), { force: true });
    const rebuilt = await cli(temp.dir, T0 + 25 * HOUR, 'rebuild');
    assert.equal(rebuilt.code, 0, rebuilt.stdout);
    assert.match(rebuilt.stdout, /13 article\(s\) restored .*\(2 earlier version\(s\), 8 removal\(s\)\); 0 file\(s\) skipped/);
    assert.deepEqual(query<unknown>(temp.dir, 'SELECT article_id, version, title, body_html FROM article_versions ORDER BY article_id, version'), versionsBefore);
    assert.deepEqual(
      query<unknown>(temp.dir, 'SELECT article_id, confirmed_at, evidence FROM removals WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL ORDER BY article_id'),
      removedBefore,
    );
    // A sync after the rebuild rewrites nothing: the files and the store agree.
    assert.equal((await cli(temp.dir, T0 + 25 * HOUR, 'sync')).code, 0);
    const treeAfter = await snapshotTree(join(temp.dir, 'archive'));
    const changed = [...treeAfter].filter(([path, entry]) => path.startsWith('articles/') && treeBefore.get(path)?.sha !== entry.sha).map(([path]) => path);
    assert.deepEqual(changed, []);
  });
});
