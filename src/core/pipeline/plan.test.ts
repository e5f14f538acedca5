import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Entry, KnownArticle } from '../model/index.js';
import { planIdentity, type IdentifiedEntry } from '../identity/index.js';
import { FILES_PER_FOLDER, articleDayFolder } from '../render/index.js';
import { newArticleFolders, planChanges, type PageExtraction, type PlanInput } from './plan.js';
import { parseReceivedItem } from './received-item.js';

const SOURCE = { id: 'rfi', url: 'https://www.rfi.fr/cn/rss' };
const NOW = Date.UTC(2023, 9, 20, 12, 0);
const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;

function entry(n: number, overrides: Partial<Entry> = {}): Entry {
  return {
    title: `标题 ${n}`,
    link: `https://www.rfi.fr/cn/${n}`,
    content: `<p>正文 ${n}，足够长的一段文字。</p><div class="share">分享</div>`,
    published: NOW - n * HOUR,
    authors: [{ name: '法广' }, { email: 'desk@rfi.fr' }, {}],
    categories: ['国际'],
    enclosures: [],
    ...overrides,
  };
}

function identify(entries: Entry[]): IdentifiedEntry[] {
  return planIdentity(SOURCE.id, entries, 'url', undefined, { baseUrl: SOURCE.url }).entries;
}

function input(entries: IdentifiedEntry[], overrides: Partial<PlanInput> = {}): PlanInput {
  return { source: SOURCE, entries, known: new Map(), folderCounts: new Map(), pages: new Map(), now: NOW, timeZone: TZ, fetchedFrom: SOURCE.url, ...overrides };
}

function knownOf(item: IdentifiedEntry, overrides: Partial<KnownArticle> = {}): KnownArticle {
  return {
    id: item.id,
    key: item.key,
    url: item.url ?? '',
    canonicalUrl: item.canonicalUrl ?? '',
    contentHash: item.contentHash,
    version: 1,
    path: `articles/rfi/2023/10/19/0800-${item.id}.md`,
    published: NOW - 30 * HOUR,
    dateMissing: false,
    method: 'generic',
    firstSeen: NOW - 29 * HOUR,
    ...overrides,
  };
}

describe('planChanges', () => {
  it('PL-01 an empty store: every entry new, cleaned, dated, with its path and a raw item that reads back', () => {
    const items = identify([entry(1), entry(2, { published: undefined })]);
    const plan = planChanges(input(items));
    assert.equal(plan.added.length, 2);
    assert.deepEqual([plan.edited, plan.unchanged, plan.failures], [[], [], []]);
    const [first, second] = plan.added.map((planned) => planned.change);
    assert.equal(first?.kind, 'new');
    assert.equal(first?.article.id, items[0]?.id);
    assert.equal(first?.article.title, '标题 1');
    assert.equal(first?.article.method, 'feed');
    assert.deepEqual(first?.article.authors, ['法广', 'desk@rfi.fr']);
    assert.equal(first?.article.version, 1);
    assert.equal(first?.article.firstSeen, NOW);
    assert.equal(first?.article.path, `${articleDayFolder('rfi', NOW - HOUR, TZ)}/1900-${items[0]?.id}.md`);
    assert.doesNotMatch(first?.article.bodyHtml ?? '', /分享/, 'the generic rules cleaned the body');
    assert.equal(second?.article.published, NOW, 'no date: the sync time');
    assert.equal(second?.article.dateMissing, true);
    const raw = first?.raw;
    assert.ok(raw);
    assert.deepEqual(parseReceivedItem(raw), { entry: items[0]?.entry });
    assert.equal(raw.fetchedFrom, SOURCE.url);
  });

  it('PL-02 a known key: same hash unchanged, new hash the next version keeping id, path, date and method', () => {
    const [same, changed] = identify([entry(1), entry(2, { title: '标题 2（更正）', updated: NOW - HOUR })]);
    assert.ok(same && changed);
    const known = new Map([
      [same.key, knownOf(same)],
      [changed.key, knownOf(changed, { contentHash: 'older', version: 3 })],
    ]);
    const plan = planChanges(input([same, changed], { known }));
    assert.deepEqual(plan.unchanged, [same.id]);
    assert.equal(plan.added.length, 0);
    const edit = plan.edited[0]?.change;
    assert.equal(edit?.kind, 'edit');
    const before = knownOf(changed);
    assert.deepEqual(
      { ...edit?.article, bodyHtml: undefined },
      {
        ...before,
        sourceId: 'rfi',
        title: '标题 2（更正）',
        bodyHtml: undefined,
        contentHash: changed.contentHash,
        version: 4,
        updated: NOW - HOUR,
        lastSeen: NOW,
        authors: ['法广', 'desk@rfi.fr'],
        categories: ['国际'],
      },
    );
    assert.deepEqual([edit?.raw.articleId, edit?.raw.version], [changed.id, 4]);
  });

  it('PL-03 a page read for a new entry replaces a shorter feed body and is kept in the raw item; an edit never uses one', () => {
    const [summary, longer, known] = identify([
      entry(1, { title: undefined, content: '<p>摘要……</p>' }),
      entry(2, { content: `<p>${'很长的正文'.repeat(40)}</p>` }),
      entry(3, { content: '<p>改过的摘要</p>' }),
    ]);
    assert.ok(summary && longer && known);
    const page: PageExtraction = { html: `<p>${'页面正文'.repeat(30)}</p>`, method: 'jsonld', title: '页面标题' };
    const pages = new Map([
      [summary.key, page],
      [longer.key, page],
      [known.key, page],
    ]);
    const plan = planChanges(input([summary, longer, known], { pages, known: new Map([[known.key, knownOf(known, { contentHash: 'older' })]]) }));
    const [fromPage, fromFeed] = plan.added.map((planned) => planned.change);
    assert.equal(fromPage?.article.method, 'jsonld');
    assert.equal(fromPage?.article.title, '页面标题', 'no feed title: the page’s');
    assert.match(fromPage?.article.bodyHtml ?? '', /页面正文/);
    assert.deepEqual(fromPage && parseReceivedItem(fromPage.raw).extracted, { html: page.html, method: 'jsonld', url: summary.url });
    assert.equal(fromFeed?.article.method, 'feed');
    assert.equal(fromFeed && parseReceivedItem(fromFeed.raw).extracted, undefined);
    assert.match(plan.edited[0]?.change.article.bodyHtml ?? '', /改过的摘要/);
  });

  it('PL-04 paths are allocated in feed order after the stored ones: a full day folder overflows into a sub-folder', () => {
    const items = identify([entry(1, { published: NOW }), entry(2, { published: NOW + 60_000 }), entry(3, { published: NOW - 48 * HOUR })]);
    const folder = articleDayFolder('rfi', NOW, TZ);
    const plan = planChanges(input(items, { folderCounts: new Map([[folder, FILES_PER_FOLDER - 1]]) }));
    const paths = plan.added.map((planned) => planned.change.article.path);
    assert.ok(paths[0]?.startsWith(`${folder}/`) && !paths[0].startsWith(`${folder}/1/`), paths[0]);
    assert.ok(paths[1]?.startsWith(`${folder}/1/`), paths[1]);
    assert.ok(paths[2]?.startsWith(`${articleDayFolder('rfi', NOW - 48 * HOUR, TZ)}/`) && !paths[2].includes('/1/'), paths[2]);
    assert.deepEqual(planChanges(input(items, { folderCounts: new Map([[folder, FILES_PER_FOLDER - 1]]) })), plan, 'the same input, the same plan');
  });

  it('PL-05 an entry that cannot get a path fails alone, with stage archive and its link', () => {
    const [good, bad] = identify([entry(1), entry(2)]);
    assert.ok(good && bad);
    const plan = planChanges(input([good, { ...bad, id: '../escape' }]));
    assert.deepEqual(
      plan.added.map((planned) => planned.change.article.id),
      [good.id],
    );
    assert.equal(plan.failures.length, 1);
    assert.equal(plan.failures[0]?.label, 'https://www.rfi.fr/cn/2');
    assert.equal(plan.failures[0]?.error.stage, 'archive');
    assert.equal(plan.failures[0]?.error.code, 'archive');
  });

  it('PL-07 title rules shape the stored title and column; identity and content hash keep the feed title', () => {
    const raw = '美中交恶，美国华人选边 - 美国专栏 – 法国国际广播电台 - RFI';
    const [item] = identify([entry(1, { title: raw })]);
    const [plain] = identify([entry(2, { title: '港版国安法\n\n 生效' })]);
    assert.ok(item && plain);
    assert.deepEqual(identify([entry(1, { title: '美中交恶，美国华人选边' })])[0]?.id, item.id);
    assert.notEqual(identify([entry(1, { title: '美中交恶，美国华人选边' })])[0]?.contentHash, item.contentHash);
    const plan = planChanges(input([item, plain]));
    const [first, second] = plan.added.map((planned) => planned.change.article);
    assert.deepEqual([first?.title, first?.column, first?.contentHash], ['美中交恶，美国华人选边', '美国专栏', item.contentHash]);
    assert.equal(second?.title, '港版国安法 生效');
    assert.ok(second && !('column' in second));
    assert.deepEqual(parseReceivedItem(plan.added[0]!.change.raw).entry.title, raw);
  });

  it('PL-06 newArticleFolders lists the day folders of new entries only, once each', () => {
    const items = identify([entry(1, { published: NOW }), entry(2, { published: NOW }), entry(3, { published: NOW - 48 * HOUR })]);
    const known = new Map([[items[2]?.key as string, knownOf(items[2] as IdentifiedEntry)]]);
    assert.deepEqual(newArticleFolders('rfi', items, known, NOW, TZ), [articleDayFolder('rfi', NOW, TZ)]);
  });
});

describe('parseReceivedItem', () => {
  it('RI-01 bad stored JSON is a store error naming the article and the field', () => {
    const raw = { articleId: 'abcdefghijklmnop', version: 2, fetchedFrom: 'x' };
    assert.throws(
      () => parseReceivedItem({ ...raw, entryJson: JSON.stringify({ entry: { title: 5 } }) }),
      (error: unknown) => error instanceof Error && /store: raw item of article abcdefghijklmnop v2 is not a received item: entry\.title: /.test(error.message),
    );
    assert.throws(() => parseReceivedItem({ ...raw, entryJson: '{"entry":' }), /raw item of article abcdefghijklmnop v2 is not JSON/);
    assert.deepEqual(parseReceivedItem({ ...raw, entryJson: '{"entry":{"content":"<p>x</p>"}}' }), {
      entry: { content: '<p>x</p>', authors: [], categories: [], enclosures: [] },
    });
  });
});
