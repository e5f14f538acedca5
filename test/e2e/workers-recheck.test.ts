/**
 * Re-checks shared by workers on PostgreSQL, as real processes of the built CLI (`npm run build`
 * first): two `recheck` processes at once, then two long-running `worker` processes, check every due
 * page exactly once between them (each page under its re-check lease), and the removal they confirm
 * is written by the archiver into `lists/removed.md`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectPostgres } from '../../src/adapters/store/postgres/index.js';
import { createTestSchema, TEST_POSTGRES, type TestSchema } from '../helpers/postgres.js';
import { finished, startCli, type CliProcess } from '../helpers/cli-process.js';
import { makeTempDir } from '../helpers/tmp.js';
import { startPublisher, type Publisher } from '../recheck/publisher.js';

const ARTICLES = 30;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 0, 0);
const GONE = 7;

const checkedIn = (proc: CliProcess): number => Number(/recheck: (\d+) page\(s\) checked/.exec(proc.lines.join('\n'))?.[1] ?? Number.NaN);

describe('re-checks shared by workers on PostgreSQL', { skip: TEST_POSTGRES.skip }, () => {
  let publisher: Publisher;
  let schema: TestSchema;
  let temp: { dir: string; cleanup(): Promise<void> };
  let config: string;

  before(async () => {
    publisher = await startPublisher(ARTICLES, T0);
    schema = await createTestSchema();
    temp = await makeTempDir('newsmirror-workers-recheck-');
    config = join(temp.dir, 'newsmirror.yaml');
    await writeFile(
      config,
      [
        'archive: ./archive',
        `database: "${schema.url}?schema=${schema.schema}"`,
        'network: { allowPrivateNetworks: true, retries: 0, timeoutSeconds: 10 }',
        'media: { enabled: false }',
        'workers: { leaseSeconds: 5, pollSeconds: 0.2 }',
        'schedule: { tickSeconds: 0.2 }',
        'sources:',
        `  - { id: pub, name: "样本出版社", url: "${publisher.feedUrl}", fulltext: feed }`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await publisher?.server.close();
    await schema?.drop();
    await temp?.cleanup();
  });

  it('WK-04 every due page is checked once by the workers between them; the archiver writes the removal they confirm', async () => {
    await finished(startCli(['worker', '--once', '--config', config], { NEWSMIRROR_CLOCK: String(T0) }), 'the first sync');
    assert.equal(publisher.pageRequests(), 0, 'the feed carries the text: no page fetched yet');

    // One hour on, every article is due: two passes at once share them.
    publisher.articles.get(GONE)!.mode = '404';
    const at2h = { NEWSMIRROR_CLOCK: String(T0 + 2 * HOUR) };
    const passes = [0, 1].map(() => startCli(['recheck', '--config', config], at2h));
    for (const [n, pass] of passes.entries()) await finished(pass, `recheck ${n}`);
    assert.equal(publisher.pageRequests(), ARTICLES, 'each page fetched once by the two passes together');
    assert.equal(passes.reduce((sum, pass) => sum + checkedIn(pass), 0), ARTICLES, 'and counted once');

    // The 6-hour step, and the removal's confirmation: the long-running workers re-check between rounds.
    const at8h = T0 + 8 * HOUR;
    const workers = [0, 1].map(() => startCli(['worker', '--config', config], { NEWSMIRROR_CLOCK: String(at8h) }));
    const db = connectPostgres(schema.url, { schema: schema.schema, maxConnections: 1 });
    try {
      for (;;) {
        const [row] = await db.query<{ checked: number }>('SELECT count(*)::int AS checked FROM recheck_state WHERE last_check_at >= $1', [at8h]);
        if (row?.checked === ARTICLES) break;
        for (const worker of workers) assert.equal(worker.child.exitCode, null, `a worker exited\n${worker.lines.join('\n')}\n${worker.stderr}`);
        await sleep(50);
      }
    } finally {
      await db.close();
    }
    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const [n, worker] of workers.entries()) await finished(worker, `worker ${n}`);
    assert.equal(publisher.pageRequests(), 2 * ARTICLES, 'each page fetched once more, by one of the workers');

    await finished(startCli(['archiver', '--once', '--config', config], { NEWSMIRROR_CLOCK: String(at8h) }), 'archiver --once');
    const removed = await readFile(join(temp.dir, 'archive', 'lists', 'removed.md'), 'utf8');
    assert.match(removed, new RegExp(`第${GONE}号报道`), 'the confirmed removal is listed');
  });
});
