import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NewsmirrorError } from '../errors.js';
import {
  articleDayFolder,
  articlePath,
  overflowFor,
  formatListTime,
  listPath,
  monthKey,
  monthListPath,
  monthOfArticlePath,
  monthRange,
  relativeLink,
} from './path.js';

const SEED_PUBLISHED = 1697796901000;

describe('articlePath', () => {
  it('P01 places the seed at 18:15 Shanghai time on 2023-10-20', () => {
    assert.equal(articlePath('rfi', SEED_PUBLISHED, 'abcdefghijklmnop', 'Asia/Shanghai'), 'articles/rfi/2023/10/20/1815-abcdefghijklmnop.md');
  });

  it('P02 uses the configured zone, including the day boundary', () => {
    assert.equal(articlePath('rfi', SEED_PUBLISHED, 'a1', 'UTC'), 'articles/rfi/2023/10/20/1015-a1.md');
    // 2023-12-31 20:30 UTC is already 2024-01-01 04:30 in Shanghai.
    const newYear = Date.UTC(2023, 11, 31, 20, 30);
    assert.equal(articlePath('bbc', newYear, 'x', 'Asia/Shanghai'), 'articles/bbc/2024/01/01/0430-x.md');
    assert.equal(articlePath('bbc', newYear, 'x', 'America/New_York'), 'articles/bbc/2023/12/31/1530-x.md');
  });

  it('P03 writes midnight as 00, not 24', () => {
    assert.equal(articlePath('s', Date.UTC(2024, 1, 29, 16, 0), 'i', 'Asia/Shanghai'), 'articles/s/2024/03/01/0000-i.md');
  });

  it('P04 puts overflow files in a numbered sub-folder of the day', () => {
    assert.equal(articlePath('rfi', SEED_PUBLISHED, 'id', 'Asia/Shanghai', 0), 'articles/rfi/2023/10/20/1815-id.md');
    assert.equal(articlePath('rfi', SEED_PUBLISHED, 'id', 'Asia/Shanghai', 2), 'articles/rfi/2023/10/20/2/1815-id.md');
    assert.throws(() => articlePath('rfi', SEED_PUBLISHED, 'id', 'Asia/Shanghai', -1), NewsmirrorError);
    assert.throws(() => articlePath('rfi', SEED_PUBLISHED, 'id', 'Asia/Shanghai', 1.5), NewsmirrorError);
  });

  it('P07 keeps every folder under 1,000 entries when the caller counts the day folder', () => {
    const day = articleDayFolder('rfi', SEED_PUBLISHED, 'Asia/Shanghai');
    assert.equal(day, 'articles/rfi/2023/10/20');
    const perFolder = new Map<string, number>();
    for (let allocated = 0; allocated < 5000; allocated++) {
      const path = articlePath('rfi', SEED_PUBLISHED, `a${allocated}`, 'Asia/Shanghai', overflowFor(allocated));
      assert.ok(path.startsWith(`${day}/`));
      const folder = path.slice(0, path.lastIndexOf('/'));
      perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    }
    const subFolders = perFolder.size - 1;
    for (const [folder, files] of perFolder) {
      assert.ok(files + (folder === day ? subFolders : 0) < 1000, `${folder}: ${files}`);
    }
    assert.equal(overflowFor(-3), 0);
  });

  it('P05 refuses ids that could leave the archive or break a path', () => {
    for (const bad of ['', '..', 'a/b', 'a\\b', '法广', 'a b', 'a.b', 'a\0b']) {
      assert.throws(() => articlePath(bad, SEED_PUBLISHED, 'id', 'UTC'), NewsmirrorError, `source ${JSON.stringify(bad)}`);
      assert.throws(() => articlePath('rfi', SEED_PUBLISHED, bad, 'UTC'), NewsmirrorError, `article ${JSON.stringify(bad)}`);
    }
    assert.throws(() => listPath('../x'), NewsmirrorError);
  });

  it('P06 reports an unknown zone and a non-finite time as errors', () => {
    assert.throws(() => articlePath('rfi', SEED_PUBLISHED, 'id', 'Mars/Olympus'), (e: unknown) => e instanceof NewsmirrorError && e.code === 'config-invalid');
    assert.throws(() => articlePath('rfi', Number.NaN, 'id', 'UTC'), NewsmirrorError);
  });
});

describe('list helpers', () => {
  it('formats list times and month keys in the zone', () => {
    assert.equal(formatListTime(SEED_PUBLISHED, 'Asia/Shanghai'), '2023-10-20 18:15');
    assert.equal(monthKey(Date.UTC(2023, 9, 31, 17), 'Asia/Shanghai'), '2023-11');
    assert.equal(monthKey(Date.UTC(2023, 9, 31, 15), 'Asia/Shanghai'), '2023-10');
  });

  it('gives month bounds in the zone, across a DST change', () => {
    assert.deepEqual(monthRange('2023-10', 'Asia/Shanghai'), { from: Date.UTC(2023, 8, 30, 16), to: Date.UTC(2023, 9, 31, 16) });
    // New York is on EST (UTC-5) on 1 March and on EDT (UTC-4) on 1 April.
    assert.deepEqual(monthRange('2024-03', 'America/New_York'), { from: Date.UTC(2024, 2, 1, 5), to: Date.UTC(2024, 3, 1, 4) });
    assert.deepEqual(monthRange('2024-12', 'UTC'), { from: Date.UTC(2024, 11, 1), to: Date.UTC(2025, 0, 1) });
    assert.throws(() => monthRange('2024-1', 'UTC'), NewsmirrorError);
  });

  it('every instant falls in the month range of its own month key', () => {
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2025, 0, 1); t += 7 * 3600_000 + 13 * 60_000) {
      for (const zone of ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe']) {
        const { from, to } = monthRange(monthKey(t, zone), zone);
        assert.ok(from <= t && t < to, `${zone} ${new Date(t).toISOString()}`);
      }
    }
  });

  it('builds list paths and reads a month back from an article path', () => {
    assert.equal(listPath('rfi'), 'lists/rfi.md');
    assert.equal(monthListPath('rfi', '2023-10'), 'lists/rfi/2023-10.md');
    assert.throws(() => monthListPath('rfi', '2023/10'), NewsmirrorError);
    assert.equal(monthOfArticlePath('articles/rfi/2023/10/20/2/1815-id.md'), '2023-10');
    assert.equal(monthOfArticlePath('lists/rfi.md'), undefined);
  });

  it('makes relative links that work from any archive file', () => {
    assert.equal(relativeLink('lists/rfi.md', 'articles/rfi/2023/10/20/1815-a.md'), '../articles/rfi/2023/10/20/1815-a.md');
    assert.equal(relativeLink('lists/rfi/2023-10.md', 'articles/rfi/2023/10/20/1815-a.md'), '../../articles/rfi/2023/10/20/1815-a.md');
    assert.equal(relativeLink('lists/rfi.md', 'lists/rfi/2023-10.md'), 'rfi/2023-10.md');
    assert.equal(relativeLink('README.md', 'lists/rfi.md'), 'lists/rfi.md');
    assert.equal(relativeLink('README.md', 'a b/(x).md'), 'a%20b/%28x%29.md');
  });
});
