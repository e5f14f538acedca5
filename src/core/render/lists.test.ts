import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleListItem } from '../ports.js';
import { renderMonthList, renderSourceList, LIST_LIMIT } from './lists.js';
import { articlePath } from './path.js';
import { renderArchiveReadme } from './readme.js';

const ZONE = 'Asia/Shanghai';

function item(n: number, published: number, title = `标题 ${n}`): ArticleListItem {
  const id = `id${String(n).padStart(4, '0')}`;
  return { id, sourceId: 'rfi', title, url: `https://x.org/${n}`, path: articlePath('rfi', published, id, ZONE), published, dateMissing: false };
}

describe('renderSourceList', () => {
  it('L01 lists articles with full dates and relative links, then the months', () => {
    const items = [item(2, 1697796901000, 'a [b] c'), item(1, Date.UTC(2023, 8, 30, 15, 59))];
    const text = renderSourceList({ id: 'rfi', name: '法广 RFI' }, items, ['2023-10', '2023-09'], ZONE);
    assert.equal(
      text,
      [
        '# 法广 RFI',
        '',
        '最新文章 · Latest articles (Asia/Shanghai)',
        '',
        '2023-10-20 18:15 [a \\[b\\] c](../articles/rfi/2023/10/20/1815-id0002.md)',
        '',
        '2023-09-30 23:59 [标题 1](../articles/rfi/2023/09/30/2359-id0001.md)',
        '',
        '## 按月 · By month',
        '',
        '[2023-10](rfi/2023-10.md)',
        '',
        '[2023-09](rfi/2023-09.md)',
        '',
      ].join('\n'),
    );
  });

  it('L02 shows at most the newest 300 articles', () => {
    const items = Array.from({ length: 350 }, (_, i) => item(i, 1697796901000 - i * 60_000));
    const lines = renderSourceList({ id: 'rfi', name: 'RFI' }, items, [], ZONE).split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d \[/.test(line));
    assert.equal(lines.length, LIST_LIMIT);
    assert.ok(lines[0]!.includes('id0000'));
    assert.ok(lines.at(-1)!.includes('id0299'));
  });

  it('L03 keeps a configured name from opening markup', () => {
    const text = renderSourceList({ id: 'x', name: 'A [b](c) <i>\n#' }, [], [], ZONE);
    assert.equal(text.split('\n')[0], '# A \\[b\\](c) &lt;i&gt; \\#');
    assert.ok(text.includes('no articles yet'));
  });
});

describe('renderMonthList', () => {
  it('L04 links back to the source list and into articles from lists/<id>/', () => {
    const text = renderMonthList({ id: 'rfi', name: 'RFI' }, '2023-10', [item(2, 1697796901000)], ZONE);
    assert.equal(
      text,
      ['# RFI · 2023-10', '', '[← RFI](../rfi.md) · 1 篇 · articles (Asia/Shanghai)', '', '2023-10-20 18:15 [标题 2](../../articles/rfi/2023/10/20/1815-id0002.md)', ''].join('\n'),
    );
  });
});

describe('renderArchiveReadme', () => {
  it('L05 renders a deterministic table of every source with its health', () => {
    const sources = [
      { id: 'voa', name: '美国之音', summary: { sourceId: 'voa', articleCount: 0, articlesLast24h: 0 }, health: 'never' as const },
      {
        id: 'rfi',
        name: '法广',
        summary: { sourceId: 'rfi', articleCount: 12, newestPublished: 1697796901000, articlesLast24h: 3 },
        health: 'failing' as const,
        lastError: 'fetch: https://x | 503\nretry',
      },
    ];
    const text = renderArchiveReadme(sources, { timeZone: ZONE });
    assert.equal(text, renderArchiveReadme([...sources].reverse(), { timeZone: ZONE }));
    const rows = text.split('\n').filter((line) => line.startsWith('| ['));
    assert.deepEqual(rows, [
      '| [法广](lists/rfi.md) | `rfi` | 12 | 2023-10-20 18:15 | ❌ 出错 failing: fetch: https://x \\| 503 retry |',
      '| [美国之音](lists/voa.md) | `voa` | 0 | — | — 未抓取 never fetched |',
    ]);
    assert.match(text, /共 12 篇/);
    // The 24-hour count changes as time passes; it must not make the README churn.
    const later = renderArchiveReadme(sources.map((s) => ({ ...s, summary: { ...s.summary, articlesLast24h: 0 } })), { timeZone: ZONE });
    assert.equal(later, text);
  });
});
