import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../test/helpers/tmp.js';
import { readConfig } from '../config/index.js';
import type { Article } from '../core/model/index.js';
import type { Logger } from '../core/ports.js';
import { writeArchiveReadme, writeStatusFile } from '../core/pipeline/index.js';
import { main } from '../cli/main.js';
import { openContext } from './context.js';
import { createReaderApp } from './web.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2024, 4, 1, 12, 0);
const SILENT: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** EXPECTED is each source's health: hourly went silent ten days ago; weekly's ten days are its rhythm. */
const EXPECTED = { hourly: 'stale', weekly: 'ok', broken: 'failing', fresh: 'never' };

function article(sourceId: string, n: number, published: number): Article {
  const id = `${sourceId}${String(n).padStart(4, '0')}`;
  const day = new Date(published).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    id,
    sourceId,
    key: `https://news.test/${sourceId}/${n}`,
    url: `https://news.test/${sourceId}/${n}`,
    canonicalUrl: `https://news.test/${sourceId}/${n}`,
    title: `${sourceId} ${n}`,
    bodyHtml: '<p>正文</p>',
    published,
    dateMissing: false,
    firstSeen: published,
    contentHash: `hash-${id}`,
    version: 1,
    path: `articles/${sourceId}/${day}/0000-${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: published,
  };
}

/** verdicts reads `health` per source id out of a markdown table row that names the id in backticks. */
function verdicts(markdown: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const line of markdown.split('\n')) {
    const id = /`([a-z]+)`/.exec(line)?.[1];
    const health = /\b(ok|failing|stale|never)\b/.exec(line.slice(line.indexOf('`')))?.[1];
    if (id !== undefined && id in EXPECTED && health !== undefined) found[id] = health;
  }
  return found;
}

describe('source health', () => {
  it('HL-01 README, STATUS.md, `status` and /health give one verdict per source', async () => {
    const tmp = await makeTempDir('newsmirror-health-');
    try {
      const file = join(tmp.dir, 'newsmirror.yaml');
      await writeFile(
        file,
        [
          'archive: ./archive',
          'database: ./newsmirror.db',
          'sources:',
          ...Object.keys(EXPECTED).map((id) => `  - { id: ${id}, name: ${id}, url: "https://news.test/${id}.xml" }`),
          '',
        ].join('\n'),
      );
      const config = await readConfig(file);
      const context = await openContext(config, { logger: SILENT, clock: { now: () => NOW } });
      try {
        const newest = NOW - 10 * DAY;
        const articles = [
          ...Array.from({ length: 25 }, (_, n) => article('hourly', n, newest - n * HOUR)),
          ...Array.from({ length: 25 }, (_, n) => article('weekly', n, newest - n * 7 * DAY)),
          article('broken', 0, NOW - 2 * HOUR),
        ];
        await context.store.applyChanges(articles.map((a) => ({ kind: 'new', article: a, raw: { articleId: a.id, version: 1, entryJson: '{}', fetchedFrom: 'https://news.test/' } })));
        for (const sourceId of ['hourly', 'weekly']) await context.store.saveSourceState({ sourceId, consecutiveFailures: 0, lastAttemptAt: NOW, lastSuccessAt: NOW });
        await context.store.saveSourceState({ sourceId: 'broken', consecutiveFailures: 2, lastAttemptAt: NOW, lastSuccessAt: NOW - HOUR, lastErrorCode: 'timeout', lastError: 'fetch: timeout' });

        await writeArchiveReadme(context.deps, config.sources);
        await writeStatusFile(context.deps, config.sources);
        const readme = verdicts(await readFile(join(config.archive, 'README.md'), 'utf8'));
        const statusFile = verdicts(await readFile(join(config.archive, 'STATUS.md'), 'utf8'));

        let stdout = '';
        const code = await main(['status', '--config', file, '--json'], {
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: () => true },
          env: { NEWSMIRROR_CLOCK: String(NOW) },
          cwd: tmp.dir,
        });
        assert.equal(code, 1, 'a failing source makes `status` exit 1');
        const status = Object.fromEntries((JSON.parse(stdout) as { id: string; health: string }[]).map((row) => [row.id, row.health.split(' ')[0]]));

        const response = await createReaderApp(context).request('/health');
        assert.equal(response.status, 503);
        const web = Object.fromEntries(((await response.json()) as { sources: { id: string; status: string }[] }).sources.map((row) => [row.id, row.status]));

        assert.deepEqual(readme, EXPECTED, 'README');
        assert.deepEqual(statusFile, EXPECTED, 'STATUS.md');
        assert.deepEqual(status, EXPECTED, 'status');
        assert.deepEqual(web, EXPECTED, '/health');
      } finally {
        await context.close();
      }
    } finally {
      await tmp.cleanup();
    }
  });
});
