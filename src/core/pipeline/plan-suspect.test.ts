import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS, capText, type Entry, type KnownArticle } from '../model/index.js';
import { planIdentity, type IdentifiedEntry } from '../identity/index.js';
import { keepNewest, planChanges, type PlanInput } from './plan.js';

const SOURCE = { id: 'rfi', url: 'https://www.rfi.fr/cn/rss' };
const NOW = Date.UTC(2023, 9, 20, 12, 0);
const HOUR = 3_600_000;
const FULL = `<p>${'法国国际广播电台报道，这是一段完整的新闻正文。'.repeat(20)}</p>`;

function entry(content: string, overrides: Partial<Entry> = {}): Entry {
  return { title: '标题', link: 'https://www.rfi.fr/cn/1', content, published: NOW - HOUR, authors: [], categories: [], enclosures: [], ...overrides };
}

function identify(...entries: Entry[]): IdentifiedEntry[] {
  return planIdentity(SOURCE.id, entries, 'url', undefined, { baseUrl: SOURCE.url }).entries;
}

/** stored is the known record and the current version of the article `item` once was, with `suspectHash` pending. */
function stored(item: IdentifiedEntry, currentHash: string, suspectHash?: string): Pick<PlanInput, 'known' | 'current'> {
  const known: KnownArticle = {
    id: item.id,
    key: item.key,
    url: item.url ?? '',
    canonicalUrl: item.canonicalUrl ?? '',
    contentHash: currentHash,
    version: 3,
    path: `articles/rfi/2023/10/20/1100-${item.id}.md`,
    published: NOW - HOUR,
    dateMissing: false,
    method: 'feed',
    firstSeen: NOW - HOUR,
    ...(suspectHash === undefined ? {} : { suspectHash }),
  };
  return { known: new Map([[item.key, known]]), current: new Map([[item.id, { title: '标题', bodyHtml: FULL }]]) };
}

function input(entries: IdentifiedEntry[], overrides: Partial<PlanInput> = {}): PlanInput {
  return { source: SOURCE, entries, known: new Map(), folderCounts: new Map(), pages: new Map(), now: NOW, timeZone: 'Asia/Shanghai', fetchedFrom: SOURCE.url, ...overrides };
}

describe('planChanges: suspect versions', () => {
  const [whole] = identify(entry(FULL)) as [IdentifiedEntry];

  it('SUS-01 a body cut to under 60 % of the current text is held back, not an edit', () => {
    const [cut] = identify(entry(FULL.slice(0, 200))) as [IdentifiedEntry];
    const plan = planChanges(input([cut], stored(cut, whole.contentHash)));
    assert.deepEqual([plan.edited.length, plan.unchanged], [0, []]);
    assert.equal(plan.suspects.length, 1);
    const [suspect] = plan.suspects;
    assert.equal(suspect?.reason, 'shorter');
    assert.equal(suspect?.articleId, cut.id);
    assert.equal(suspect?.contentHash, cut.contentHash);
    assert.equal(suspect?.seenAt, NOW);
    assert.match(suspect?.entryJson ?? '', /法国国际广播电台/);
  });

  it('SUS-02 an empty body (title "x") is held back as empty; a slightly shorter one is a normal edit', () => {
    const [empty] = identify(entry('', { title: 'x' })) as [IdentifiedEntry];
    assert.equal(planChanges(input([empty], stored(empty, whole.contentHash))).suspects[0]?.reason, 'empty');
    const [trimmed] = identify(entry(FULL.replace('。</p>', '。更正。</p>').slice(0, Math.ceil(FULL.length * 0.8)) + '</p>')) as [IdentifiedEntry];
    const plan = planChanges(input([trimmed], stored(trimmed, whole.contentHash)));
    assert.deepEqual([plan.suspects.length, plan.edited.length], [0, 1]);
    assert.equal(plan.edited[0]?.change.article.version, 4);
  });

  it('SUS-03 any edit from a recovered document is held back, even a longer one; new articles are added', () => {
    const [longer] = identify(entry(`${FULL}<p>补充</p>`)) as [IdentifiedEntry];
    const [fresh] = identify(entry(FULL, { link: 'https://www.rfi.fr/cn/2' })) as [IdentifiedEntry];
    const plan = planChanges(input([longer, fresh], { ...stored(longer, whole.contentHash), recovered: true }));
    assert.deepEqual(plan.suspects.map((suspect) => suspect.reason), ['recovered']);
    assert.deepEqual([plan.edited.length, plan.added.length], [0, 1]);
  });

  it('SUS-04 the suspect hash seen again: unchanged in a recovered feed, promoted to a normal edit in a clean one', () => {
    const [cut] = identify(entry(FULL.slice(0, 200))) as [IdentifiedEntry];
    const again = planChanges(input([cut], { ...stored(cut, whole.contentHash, cut.contentHash), recovered: true }));
    assert.deepEqual([again.unchanged, again.suspects, again.edited], [[cut.id], [], []]);
    const confirmed = planChanges(input([cut], stored(cut, whole.contentHash, cut.contentHash)));
    assert.deepEqual([confirmed.suspects.length, confirmed.edited.length], [0, 1]);
    assert.equal(confirmed.edited[0]?.change.article.contentHash, cut.contentHash);
    assert.match(confirmed.edited[0]?.change.article.bodyHtml ?? '', /法国国际广播电台/);
  });

  it('SUS-05 the current hash seen again while a suspect is pending: unchanged, and the suspect dismissed', () => {
    const plan = planChanges(input([whole], stored(whole, whole.contentHash, 'some-suspect-hash')));
    assert.deepEqual([plan.unchanged, plan.dismissed, plan.suspects], [[whole.id], [whole.id], []]);
    const quiet = planChanges(input([whole], stored(whole, whole.contentHash)));
    assert.deepEqual(quiet.dismissed, []);
  });

  it('SUS-06 a different cut while a suspect is pending is another suspect', () => {
    const [cut] = identify(entry(FULL.slice(0, 250))) as [IdentifiedEntry];
    const plan = planChanges(input([cut], stored(cut, whole.contentHash, 'an-older-cut')));
    assert.equal(plan.suspects[0]?.contentHash, cut.contentHash);
  });
});

describe('limits', () => {
  it('LIM-01 a 10 MB title is cut to limits.titleChars with an ellipsis and a warning; corpus-sized titles are untouched', () => {
    const [huge, normal] = identify(entry(FULL, { title: '长'.repeat(10_000_000) }), entry(FULL, { title: '标'.repeat(200), link: 'https://www.rfi.fr/cn/2' }));
    const plan = planChanges(input([huge as IdentifiedEntry, normal as IdentifiedEntry]));
    const [first, second] = plan.added.map((planned) => planned.change.article.title);
    assert.equal(first?.length, LIMITS.titleChars);
    assert.ok(first?.endsWith('…'));
    assert.equal(second, '标'.repeat(200));
    assert.equal(plan.warnings.length, 1);
    assert.match(plan.warnings[0] ?? '', /^limits: title of item https:\/\/www\.rfi\.fr\/cn\/1 cut from 10000000 to 1000 characters$/);
    assert.equal(planChanges(input([huge as IdentifiedEntry], { titleChars: 50 })).added[0]?.change.article.title.length, 50);
  });

  it('LIM-02 capText never splits a surrogate pair', () => {
    const text = `a${'😀'.repeat(10)}`;
    for (let max = 2; max < text.length; max++) {
      const cut = capText(text, max);
      assert.ok(cut.length <= max, `${max}: ${cut.length}`);
      assert.ok(!/[\uD800-\uDBFF]…$/.test(cut), `${max}: ${JSON.stringify(cut)}`);
      assert.ok(cut.endsWith('…'));
    }
    assert.equal(capText(text, text.length), text);
  });

  it('LIM-03 keepNewest keeps the newest entries in feed order, undated ones last', () => {
    const dated = (published: number | undefined) => ({ published, updated: undefined });
    const entries = [dated(3), dated(undefined), dated(9), dated(1), dated(7)];
    assert.deepEqual(keepNewest(entries, 3), [dated(3), dated(9), dated(7)]);
    assert.deepEqual(keepNewest(entries, 10), entries);
    assert.deepEqual(keepNewest([dated(undefined), dated(undefined), dated(undefined)], 2), [dated(undefined), dated(undefined)]);
  });
});
