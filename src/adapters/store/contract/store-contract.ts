/**
 * The behaviour every Store must have, as one node:test suite. SQLite runs it now
 * (src/adapters/store/sqlite/sqlite.test.ts); a PostgreSQL store runs the same suite with its own
 * `open`. Each test gets a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isNewsmirrorError } from '../../../core/errors.js';
import { articleId } from '../../../core/identity/index.js';
import type { Article, KnownArticle, RawItem, RunReport, SourceState, SuspectVersion } from '../../../core/model/index.js';
import type { ArticleChange, Store } from '../../../core/ports.js';

/** StoreHarness is a freshly opened, empty store and the function that disposes of it. */
export interface StoreHarness {
  store: Store;
  cleanup(): Promise<void>;
}

const BASE_TIME = Date.UTC(2023, 9, 20, 10, 15);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** sampleArticle builds article `n` of a source, published `n` minutes after a fixed time. */
function sampleArticle(sourceId: string, n: number, overrides: Partial<Article> = {}): Article {
  const key = `https://example.test/${sourceId}/${n}`;
  const id = overrides.id ?? articleId(sourceId, overrides.key ?? key);
  const published = overrides.published ?? BASE_TIME + n * MINUTE;
  const date = new Date(published);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const folder = `articles/${sourceId}/${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
  return {
    id,
    sourceId,
    key,
    url: `${key}?utm_source=rss`,
    canonicalUrl: key,
    guid: `guid-${n}`,
    title: `标题 ${n}: 金正恩接见俄外长 [${n}]`,
    bodyHtml: `<p>正文 ${n}</p>\n<p>second block</p>`,
    published,
    dateMissing: false,
    updated: published + MINUTE,
    firstSeen: published + 2 * MINUTE,
    contentHash: `hash-${n}-v1`,
    version: 1,
    path: `${folder}/${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}-${id}.md`,
    method: 'feed',
    authors: ['法广', 'RFI'],
    categories: ['国际'],
    lastSeen: published + 2 * MINUTE,
    ...overrides,
  };
}

/** knownOf is the known-article record findByKeys gives for a stored article: its row, no body. */
function knownOf(article: Article): KnownArticle {
  const { id, key, url, canonicalUrl, guid, contentHash, version, path, published, dateMissing, method, firstSeen } = article;
  const known: KnownArticle = { id, key, url, canonicalUrl, contentHash, version, path, published, dateMissing, method, firstSeen };
  if (guid !== undefined) known.guid = guid;
  return known;
}

function rawFor(article: Article): RawItem {
  return {
    articleId: article.id,
    version: article.version,
    entryJson: JSON.stringify({ title: article.title, link: article.url, content: `<div>${article.bodyHtml}</div>` }),
    fetchedFrom: `https://feedx.test/${article.sourceId}.xml`,
  };
}

function added(article: Article): ArticleChange {
  return { kind: 'new', article, raw: rawFor(article) };
}

/** editOf returns the next version of a stored article with a new title and body. */
function editOf(previous: Article, seenAt: number): Article {
  const version = previous.version + 1;
  return {
    ...previous,
    title: `${previous.title} (v${version})`,
    bodyHtml: `${previous.bodyHtml}\n<p>更正 v${version}</p>`,
    contentHash: `${previous.contentHash.replace(/-v\d+$/, '')}-v${version}`,
    version,
    updated: seenAt,
    lastSeen: seenAt,
  };
}

function edited(article: Article): ArticleChange {
  return { kind: 'edit', article, raw: rawFor(article) };
}

/** suspectOf is a held-back version of a stored article: a shorter body under a new content hash. */
function suspectOf(article: Article, hash: string, seenAt: number): SuspectVersion {
  return {
    articleId: article.id,
    sourceId: article.sourceId,
    title: `${article.title.slice(0, 4)}`,
    bodyHtml: '<p>正文</p>',
    contentHash: hash,
    reason: 'shorter',
    seenAt,
    entryJson: JSON.stringify({ title: article.title.slice(0, 4) }),
    fetchedFrom: `https://feedx.test/${article.sourceId}.xml`,
  };
}

async function assertStoreError(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isNewsmirrorError(error) && error.code === 'store' && error.stage === 'store');
}

function report(id: string, startedAt: number): RunReport {
  return {
    id,
    startedAt,
    finishedAt: startedAt + 5_000,
    sources: [
      {
        sourceId: 'rfi',
        status: 'ok',
        fetchedItems: 50,
        newArticles: 3,
        editedArticles: 1,
        unchangedArticles: 46,
        failedItems: 0,
        errors: [],
        warnings: ['feed: 1 item without a date'],
        durationMs: 812,
      },
      {
        sourceId: 'voa',
        status: 'failed',
        fetchedItems: 0,
        newArticles: 0,
        editedArticles: 0,
        unchangedArticles: 0,
        failedItems: 0,
        errors: [{ code: 'http-status', stage: 'fetch', message: 'fetch: voa https://x.test: 503' }],
        warnings: [],
        durationMs: 120,
      },
    ],
  };
}

/**
 * runStoreContract registers the store contract suite under `name`. `open` must return a new,
 * empty store for every test, and `cleanup` must release and delete it.
 *
 * @example
 * runStoreContract('sqlite', async () => { const store = openSqliteStore(file); return { store, cleanup: () => store.close() }; });
 */
export function runStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    const pendingIds = async (sourceId?: string): Promise<string[]> => (await store.listPendingFiles(sourceId)).map((file) => file.id);

    it('ST-01 source state round trip, upsert clears fields left out, list sorted by id', async () => {
      assert.equal(await store.getSourceState('rfi'), undefined);
      const full: SourceState = {
        sourceId: 'rfi',
        etag: 'W/"abc"',
        lastModified: 'Fri, 20 Oct 2023 10:15:00 GMT',
        lastAttemptAt: BASE_TIME,
        lastSuccessAt: BASE_TIME - HOUR,
        lastErrorCode: 'http-status',
        lastError: 'fetch: rfi https://feedx.test/rfi.xml: 503',
        consecutiveFailures: 2,
        nextCheckAt: BASE_TIME + HOUR,
        guidPolicy: 'url',
      };
      await store.saveSourceState(full);
      assert.deepEqual(await store.getSourceState('rfi'), full);
      const recovered: SourceState = { sourceId: 'rfi', consecutiveFailures: 0, lastSuccessAt: BASE_TIME + HOUR, guidPolicy: 'guid' };
      await store.saveSourceState(recovered);
      assert.deepEqual(await store.getSourceState('rfi'), recovered);
      await store.saveSourceState({ sourceId: 'bbc', consecutiveFailures: 0 });
      assert.deepEqual(
        (await store.listSourceStates()).map((state) => state.sourceId),
        ['bbc', 'rfi'],
      );
    });

    it('ST-02 a new article is stored with version 1, its raw item and every field intact', async () => {
      const article = sampleArticle('rfi', 1);
      const withoutOptional = sampleArticle('rfi', 2, { guid: undefined, updated: undefined, dateMissing: true, authors: [], categories: [] });
      delete withoutOptional.guid;
      delete withoutOptional.updated;
      await store.applyChanges([added(article), added(withoutOptional)]);
      assert.deepEqual(await store.getArticle(article.id), article);
      assert.deepEqual(await store.getArticle(withoutOptional.id), withoutOptional);
      assert.deepEqual(await store.listVersions(article.id), [
        { articleId: article.id, version: 1, title: article.title, bodyHtml: article.bodyHtml, contentHash: article.contentHash, seenAt: article.lastSeen },
      ]);
      assert.deepEqual(await store.getRaw(article.id), rawFor(article));
      assert.equal(await store.getArticle('aaaaaaaaaaaaaaaa'), undefined);
      assert.equal(await store.getRaw('aaaaaaaaaaaaaaaa'), undefined);
      assert.deepEqual(await store.listVersions('aaaaaaaaaaaaaaaa'), []);
    });

    it('ST-03 re-applying the same new article is refused and changes nothing', async () => {
      const article = sampleArticle('rfi', 1);
      await store.applyChanges([added(article)]);
      await assertStoreError(store.applyChanges([added(article)]));
      await assertStoreError(store.applyChanges([added({ ...article, id: 'bbbbbbbbbbbbbbbb', path: 'articles/rfi/x.md' })]));
      assert.deepEqual(await store.getArticle(article.id), article);
      assert.equal((await store.listVersions(article.id)).length, 1);
      assert.deepEqual(await store.listArticleIds(), [article.id]);
    });

    it('ST-04 a batch whose second change violates a constraint writes nothing', async () => {
      const existing = sampleArticle('rfi', 1);
      await store.applyChanges([added(existing)]);
      const fresh = sampleArticle('rfi', 2);
      const pathClash = sampleArticle('rfi', 3, { path: existing.path });
      await assertStoreError(store.applyChanges([added(fresh), added(pathClash)]));
      const edit = editOf(existing, BASE_TIME + HOUR);
      await assertStoreError(store.applyChanges([edited(edit), added(sampleArticle('rfi', 4)), added(sampleArticle('rfi', 4))]));
      assert.equal(await store.getArticle(fresh.id), undefined);
      assert.equal(await store.getRaw(fresh.id), undefined);
      assert.deepEqual(await store.listVersions(fresh.id), []);
      assert.deepEqual(await store.getArticle(existing.id), existing);
      assert.deepEqual(await store.listArticleIds('rfi'), [existing.id]);
      assert.equal((await store.findByKeys('rfi', [fresh.key, existing.key])).size, 1);
      await store.applyChanges([added(fresh)]);
      assert.deepEqual(await store.getArticle(fresh.id), fresh);
    });

    it('ST-05 an edit is a new version of the same article; earlier versions kept in order', async () => {
      const v1 = sampleArticle('rfi', 1);
      await store.applyChanges([added(v1)]);
      const v2 = editOf(v1, BASE_TIME + HOUR);
      await store.applyChanges([edited(v2)]);
      const v3 = editOf(v2, BASE_TIME + 2 * HOUR);
      await store.applyChanges([edited({ ...v3, path: 'articles/rfi/moved.md', firstSeen: 0 })]);
      const current = await store.getArticle(v1.id);
      assert.deepEqual(current, v3);
      assert.deepEqual(
        (await store.listVersions(v1.id)).map((version) => [version.version, version.title, version.bodyHtml, version.contentHash, version.seenAt]),
        [v1, v2, v3].map((article) => [article.version, article.title, article.bodyHtml, article.contentHash, article.lastSeen]),
      );
      assert.deepEqual(await store.getRaw(v1.id), rawFor(v3));
      assert.deepEqual(await store.listArticleIds(), [v1.id]);
      assert.deepEqual((await store.findByKeys('rfi', [v1.key])).get(v1.key), knownOf(v3));
    });

    it('ST-06 a stale or unknown edit is refused and changes nothing', async () => {
      const v1 = sampleArticle('rfi', 1);
      await store.applyChanges([added(v1)]);
      const v2 = editOf(v1, BASE_TIME + HOUR);
      await store.applyChanges([edited(v2)]);
      await assertStoreError(store.applyChanges([edited(v2)]));
      await assertStoreError(store.applyChanges([edited({ ...v2, version: 1 })]));
      await assertStoreError(store.applyChanges([edited(editOf(sampleArticle('rfi', 9), BASE_TIME))]));
      await assertStoreError(store.applyChanges([edited({ ...editOf(v2, BASE_TIME + 2 * HOUR), key: 'https://example.test/other' })]));
      assert.deepEqual(await store.getArticle(v1.id), v2);
      assert.equal((await store.listVersions(v1.id)).length, 2);
    });

    it('ST-07 findByKeys answers 1,200 keys at once with bodiless records, only for the source asked, absent keys absent', async () => {
      const articles = Array.from({ length: 1000 }, (_, n) => sampleArticle('rfi', n));
      await store.applyChanges(articles.map(added));
      await store.applyChanges([added(sampleArticle('voa', 5))]);
      const unknown = Array.from({ length: 200 }, (_, n) => `https://example.test/rfi/unknown-${n}`);
      const keys = [...articles.map((article) => article.key), ...unknown, sampleArticle('voa', 5).key];
      const found = await store.findByKeys('rfi', keys);
      assert.equal(found.size, 1000);
      for (const article of articles) assert.equal(found.get(article.key)?.id, article.id);
      assert.deepEqual(found.get(articles[567]?.key as string), knownOf(articles[567] as Article));
      const withoutGuid = sampleArticle('voa', 6, { guid: undefined });
      delete withoutGuid.guid;
      await store.applyChanges([added(withoutGuid)]);
      assert.deepEqual((await store.findByKeys('voa', [withoutGuid.key])).get(withoutGuid.key), knownOf(withoutGuid));
      assert.equal((await store.findByKeys('rfi', [])).size, 0);
      assert.deepEqual([...(await store.findByKeys('voa', keys)).keys()], [sampleArticle('voa', 5).key]);
      assert.equal((await store.findByKeys('rfi', ["https://example.test/rfi/1' OR 1=1 --", 'x"]'])).size, 0);
    });

    it('ST-19 getArticles: the current version of each, in the order asked, unknown ids left out', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('voa', 2);
      await store.applyChanges([added(a), added(b)]);
      const a2 = editOf(a, BASE_TIME + HOUR);
      await store.applyChanges([edited(a2)]);
      assert.deepEqual(await store.getArticles([b.id, 'aaaaaaaaaaaaaaaa', a.id]), [b, a2]);
      assert.deepEqual(await store.getArticles([]), []);
      const many = Array.from({ length: 1200 }, (_, n) => sampleArticle('bbc', n));
      await store.applyChanges(many.map(added));
      const reversed = many.map((article) => article.id).reverse();
      assert.deepEqual((await store.getArticles(reversed)).map((article) => article.id), reversed);
      assert.deepEqual((await store.getArticles(["aaaaaaaaaaaaaaaa' OR 1=1 --"])), []);
    });

    it('ST-08 listArticles: newest first, ties by id, limit, from inclusive, to and before exclusive, one source', async () => {
      const tieA = sampleArticle('rfi', 10, { id: 'aaaaaaaaaaaaaaa2', path: 'articles/rfi/tie-a.md' });
      const tieB = sampleArticle('rfi', 11, { id: 'aaaaaaaaaaaaaaa1', path: 'articles/rfi/tie-b.md', published: tieA.published });
      const older = sampleArticle('rfi', 5);
      const newer = sampleArticle('rfi', 20, { dateMissing: true });
      await store.applyChanges([older, tieA, newer, tieB, sampleArticle('voa', 15)].map(added));
      const all = await store.listArticles('rfi');
      assert.deepEqual(all.map((item) => item.id), [newer.id, tieB.id, tieA.id, older.id]);
      assert.deepEqual(all[0], {
        id: newer.id,
        sourceId: 'rfi',
        title: newer.title,
        url: newer.url,
        path: newer.path,
        published: newer.published,
        dateMissing: true,
      });
      assert.equal(all[1]?.dateMissing, false);
      assert.deepEqual((await store.listArticles('rfi', { limit: 2 })).map((item) => item.id), [newer.id, tieB.id]);
      assert.deepEqual((await store.listArticles('rfi', { limit: 0 })).map((item) => item.id), []);
      assert.deepEqual((await store.listArticles('rfi', { before: newer.published })).map((item) => item.id), [tieB.id, tieA.id, older.id]);
      assert.deepEqual((await store.listArticles('rfi', { from: tieA.published })).map((item) => item.id), [newer.id, tieB.id, tieA.id]);
      assert.deepEqual((await store.listArticles('rfi', { to: tieA.published })).map((item) => item.id), [older.id]);
      assert.deepEqual(
        (await store.listArticles('rfi', { from: older.published, to: newer.published, limit: 1 })).map((item) => item.id),
        [tieB.id],
      );
      assert.deepEqual(await store.listArticles('nobody'), []);
    });

    it('ST-18 listRecentArticles: every source or some, newest first, keyset cursor through ties, from/to', async () => {
      const tieA = sampleArticle('rfi', 10, { id: 'aaaaaaaaaaaaaaa2', path: 'articles/rfi/tie-a.md' });
      const tieB = sampleArticle('voa', 11, { id: 'aaaaaaaaaaaaaaa1', path: 'articles/voa/tie-b.md', published: tieA.published });
      const older = sampleArticle('rfi', 5);
      const newer = sampleArticle('bbc', 20);
      await store.applyChanges([older, tieA, newer, tieB].map(added));
      const ids = async (options: Parameters<Store['listRecentArticles']>[0]): Promise<string[]> =>
        (await store.listRecentArticles(options)).map((item) => item.id);
      assert.deepEqual(await ids({ limit: 10 }), [newer.id, tieB.id, tieA.id, older.id]);
      assert.deepEqual((await store.listRecentArticles({ limit: 1 }))[0], (await store.listArticles('bbc'))[0]);
      assert.deepEqual(await ids({ limit: 2, after: { published: tieB.published, id: tieB.id } }), [tieA.id, older.id]);
      assert.deepEqual(await ids({ limit: 10, after: { published: newer.published, id: newer.id } }), [tieB.id, tieA.id, older.id]);
      assert.deepEqual(await ids({ limit: 10, sourceIds: ['rfi', 'bbc'] }), [newer.id, tieA.id, older.id]);
      assert.deepEqual(await ids({ limit: 10, sourceIds: ['rfi'] }), [tieA.id, older.id]);
      assert.deepEqual(await ids({ limit: 10, sourceIds: ['rfi'], after: { published: tieA.published, id: tieA.id } }), [older.id]);
      assert.deepEqual(await ids({ limit: 10, sourceIds: ['voa'], from: tieB.published, to: tieB.published + 1 }), [tieB.id]);
      assert.deepEqual(await ids({ limit: 10, sourceIds: [] }), []);
      assert.deepEqual(await ids({ limit: 10, from: tieA.published, to: newer.published }), [tieB.id, tieA.id]);
      assert.deepEqual(await ids({ limit: 0 }), []);
    });

    it('ST-09 countPathsUnder counts paths below a folder (sub-folders included), not in a sibling sharing its prefix', async () => {
      await store.applyChanges([
        added(sampleArticle('rfi', 1, { path: 'articles/rfi/2023/10/20/1815-a.md' })),
        added(sampleArticle('rfi', 2, { path: 'articles/rfi/2023/10/20/1816-b.md' })),
        added(sampleArticle('rfi', 3, { path: 'articles/rfi/2023/10/2/0000-c.md' })),
        added(sampleArticle('rfi', 4, { path: 'articles/rfi/2023/10/200/0000-d.md' })),
        added(sampleArticle('rfi', 5, { path: 'articles/rfi/2023/10/20-x/0000-e.md' })),
      ]);
      await store.applyChanges([added(sampleArticle('rfi', 6, { path: 'articles/rfi/2023/10/20/1/1817-f.md' }))]);
      assert.equal(await store.countPathsUnder('articles/rfi/2023/10/20'), 3);
      assert.equal(await store.countPathsUnder('articles/rfi/2023/10/20/1'), 1);
      assert.equal(await store.countPathsUnder('articles/rfi/2023/10/20/'), 3);
      assert.equal(await store.countPathsUnder('articles/rfi/2023/10/2'), 1);
      assert.equal(await store.countPathsUnder('articles/rfi/2023/10'), 6);
      assert.equal(await store.countPathsUnder('articles/voa'), 0);
    });

    it('ST-10 updateBody replaces the current body without adding a version', async () => {
      const v1 = sampleArticle('rfi', 1);
      await store.applyChanges([added(v1)]);
      const v2 = editOf(v1, BASE_TIME + HOUR);
      await store.applyChanges([edited(v2)]);
      await store.updateBody(v1.id, '<p>cleaned again</p>', 'rule');
      const current = await store.getArticle(v1.id);
      assert.deepEqual(current, { ...v2, bodyHtml: '<p>cleaned again</p>', method: 'rule' });
      const versions = await store.listVersions(v1.id);
      assert.deepEqual(versions.map((version) => [version.version, version.bodyHtml]), [
        [1, v1.bodyHtml],
        [2, '<p>cleaned again</p>'],
      ]);
      assert.deepEqual(await store.getRaw(v1.id), rawFor(v2));
      await assertStoreError(store.updateBody('aaaaaaaaaaaaaaaa', '<p>x</p>', 'feed'));
    });

    it('ST-24 updateTitle replaces the title and column of the current version without adding a version', async () => {
      const v1 = sampleArticle('rfi', 1);
      await store.applyChanges([added(v1)]);
      const v2 = editOf(v1, BASE_TIME + HOUR);
      await store.applyChanges([edited(v2)]);
      await store.markFilesWritten(await store.listPendingFiles());
      await store.updateTitle(v1.id, '美中交恶', '美国专栏');
      assert.deepEqual(await store.getArticle(v1.id), { ...v2, title: '美中交恶', column: '美国专栏' });
      assert.deepEqual((await store.listVersions(v1.id)).map((version) => [version.version, version.title]), [
        [1, v1.title],
        [2, '美中交恶'],
      ]);
      assert.deepEqual((await store.listPendingFiles('rfi')).map((file) => file.id), [v1.id]);
      await store.updateTitle(v1.id, '美中交恶', undefined);
      assert.deepEqual(await store.getArticle(v1.id), { ...v2, title: '美中交恶' });
      const withColumn = { ...sampleArticle('rfi', 2), column: '要闻解说' };
      await store.applyChanges([added(withColumn)]);
      assert.deepEqual(await store.getArticle(withColumn.id), withColumn);
      await assertStoreError(store.updateTitle('aaaaaaaaaaaaaaaa', 'x', undefined));
    });

    it('ST-11 touchSeen moves lastSeen forward only and adds no version', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('rfi', 2);
      await store.applyChanges([added(a), added(b)]);
      await store.touchSeen([a.id, 'aaaaaaaaaaaaaaaa'], a.lastSeen + HOUR);
      await store.touchSeen([a.id], a.lastSeen - HOUR);
      await store.touchSeen([], a.lastSeen + 2 * HOUR);
      assert.equal((await store.getArticle(a.id))?.lastSeen, a.lastSeen + HOUR);
      assert.deepEqual(await store.getArticle(b.id), b);
      assert.equal((await store.listVersions(a.id)).length, 1);
      const many = Array.from({ length: 1500 }, (_, n) => sampleArticle('voa', n));
      await store.applyChanges(many.map(added));
      await store.touchSeen(many.map((article) => article.id), BASE_TIME + 48 * HOUR);
      const found = await store.getArticles(many.map((article) => article.id));
      assert.equal(found.length, many.length);
      assert.ok(found.every((article) => article.lastSeen === BASE_TIME + 48 * HOUR));
    });

    it('ST-20 applyChanges marks the articles seen in the same transaction; a refused batch marks none', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('rfi', 2);
      await store.applyChanges([added(a)]);
      await store.applyChanges([added(b)], { articleIds: [a.id], at: a.lastSeen + HOUR });
      assert.equal((await store.getArticle(a.id))?.lastSeen, a.lastSeen + HOUR);
      assert.deepEqual(await store.getArticle(b.id), b);
      await store.applyChanges([], { articleIds: [a.id, b.id], at: b.lastSeen + 2 * HOUR });
      assert.deepEqual(
        (await store.getArticles([a.id, b.id])).map((article) => article.lastSeen),
        [b.lastSeen + 2 * HOUR, b.lastSeen + 2 * HOUR],
      );
      await assertStoreError(store.applyChanges([added(a)], { articleIds: [b.id], at: b.lastSeen + 9 * HOUR }));
      assert.equal((await store.getArticle(b.id))?.lastSeen, b.lastSeen + 2 * HOUR);
      assert.equal((await store.listVersions(a.id)).length, 1);
    });

    it('ST-12 run reports: none at first, the latest by start time, same id replaced', async () => {
      assert.equal(await store.lastRunReport(), undefined);
      await store.saveRunReport(report('run-2', BASE_TIME + HOUR));
      await store.saveRunReport(report('run-1', BASE_TIME));
      assert.deepEqual(await store.lastRunReport(), report('run-2', BASE_TIME + HOUR));
      const replaced = { ...report('run-2', BASE_TIME + HOUR), finishedAt: BASE_TIME + 2 * HOUR };
      await store.saveRunReport(replaced);
      assert.deepEqual(await store.lastRunReport(), replaced);
    });

    it('ST-13 clearArticles removes articles, versions and raw items, keeps sources and reports', async () => {
      const v1 = sampleArticle('rfi', 1);
      await store.applyChanges([added(v1), added(sampleArticle('voa', 2))]);
      await store.applyChanges([edited(editOf(v1, BASE_TIME + HOUR))]);
      await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 1 });
      await store.saveRunReport(report('run-1', BASE_TIME));
      await store.clearArticles();
      assert.deepEqual(await store.listArticleIds(), []);
      assert.deepEqual(await store.listVersions(v1.id), []);
      assert.equal(await store.getRaw(v1.id), undefined);
      assert.equal(await store.countPathsUnder('articles'), 0);
      assert.deepEqual(await store.listPendingFiles(), []);
      assert.deepEqual(await store.getSourceState('rfi'), { sourceId: 'rfi', consecutiveFailures: 1 });
      assert.equal((await store.lastRunReport())?.id, 'run-1');
      await store.applyChanges([added(v1)]);
      assert.deepEqual(await store.getArticle(v1.id), v1);
    });

    it('ST-14 summarizeSources: count, newest, last 24 h, and sources without articles', async () => {
      const now = BASE_TIME + 30 * HOUR;
      await store.applyChanges([
        added(sampleArticle('rfi', 1, { published: now - 25 * HOUR })),
        added(sampleArticle('rfi', 2, { published: now - 24 * HOUR })),
        added(sampleArticle('rfi', 3, { published: now - HOUR })),
        added(sampleArticle('bbc', 1, { published: now - 48 * HOUR })),
      ]);
      await store.saveSourceState({ sourceId: 'voa', consecutiveFailures: 3 });
      await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0 });
      assert.deepEqual(await store.summarizeSources(now), [
        { sourceId: 'bbc', articleCount: 1, newestPublished: now - 48 * HOUR, articlesLast24h: 0 },
        { sourceId: 'rfi', articleCount: 3, newestPublished: now - HOUR, articlesLast24h: 2 },
        { sourceId: 'voa', articleCount: 0, articlesLast24h: 0 },
      ]);
    });

    it('ST-15 pending files: set by new, edit and updateBody, cleared by markFilesWritten, filtered by source', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('rfi', 2);
      const c = sampleArticle('voa', 3);
      await store.applyChanges([added(b), added(a), added(c)]);
      assert.deepEqual(await pendingIds('rfi'), [a.id, b.id]);
      assert.deepEqual(new Set(await pendingIds()), new Set([a.id, b.id, c.id]));
      await store.markFilesWritten(await store.listPendingFiles());
      await store.markFilesWritten([]);
      assert.deepEqual(await store.listPendingFiles(), []);
      await store.applyChanges([edited(editOf(a, BASE_TIME + HOUR))]);
      await store.updateBody(c.id, '<p>re-cleaned</p>', 'feed');
      assert.deepEqual(new Set(await pendingIds()), new Set([a.id, c.id]));
      assert.deepEqual(await pendingIds('voa'), [c.id]);
      await store.touchSeen([b.id], BASE_TIME + HOUR);
      assert.deepEqual(await pendingIds('rfi'), [a.id]);
    });

    it('ST-21 markFilesWritten clears only the marks listed: a change committed after the listing stays pending', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('rfi', 2);
      await store.applyChanges([added(a), added(b)]);
      // Worker A lists the pending files; worker B then commits an edit of a and re-cleans b.
      const listedByA = await store.listPendingFiles();
      await store.applyChanges([edited(editOf(a, BASE_TIME + HOUR))]);
      await store.updateBody(b.id, '<p>re-cleaned</p>', 'rule');
      await store.markFilesWritten(listedByA);
      assert.deepEqual(await pendingIds(), [a.id, b.id]);
      const listedAgain = await store.listPendingFiles();
      await store.markFilesWritten(listedAgain);
      assert.deepEqual(await store.listPendingFiles(), []);
      // A mark cleared once and set again is a new mark: replaying an old listing clears nothing.
      await store.updateBody(a.id, '<p>mirrored</p>', 'feed');
      await store.markFilesWritten([...listedByA, ...listedAgain]);
      assert.deepEqual(await pendingIds(), [a.id]);
      await store.markFilesWritten([{ id: 'aaaaaaaaaaaaaaaa', mark: 1 }]);
      assert.deepEqual(await pendingIds(), [a.id]);
    });

    it('ST-16 listPathMonths (overflow sub-folders included, newest first) and listArticleIds', async () => {
      const articles = [
        sampleArticle('rfi', 1, { path: 'articles/rfi/2023/10/20/1815-a.md' }),
        sampleArticle('rfi', 2, { path: 'articles/rfi/2023/10/21/0900-b.md' }),
        sampleArticle('rfi', 3, { path: 'articles/rfi/2024/01/02/0000-c.md' }),
        sampleArticle('rfi', 4, { path: 'articles/rfi/2022/12/31/2359-d.md' }),
        sampleArticle('voa', 5, { path: 'articles/voa/2021/05/01/0000-e.md' }),
        sampleArticle('rfi', 6, { path: 'articles/rfi/2021/07/01/1/0000-f.md' }),
        sampleArticle('rfi', 7, { path: 'articles/rfi/undated-g.md' }),
      ];
      await store.applyChanges(articles.map(added));
      assert.deepEqual(await store.listPathMonths('rfi'), ['2024-01', '2023-10', '2022-12', '2021-07']);
      assert.deepEqual(await store.listPathMonths('bbc'), []);
      // Published one minute apart in the list's order: newest first is the list reversed.
      assert.deepEqual(await store.listArticleIds('rfi'), articles.filter((article) => article.sourceId === 'rfi').map((article) => article.id).reverse());
      assert.deepEqual(await store.listArticleIds(), articles.map((article) => article.id).reverse());
    });

    it('ST-22 suspect versions: stored pending without touching the article, its file or its versions; the newest supersedes; its hash in findByKeys', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('voa', 2);
      await store.applyChanges([added(a), added(b)]);
      await store.markFilesWritten(await store.listPendingFiles());
      const first = suspectOf(a, 'short-1', BASE_TIME + HOUR);
      await store.applyChanges([], { articleIds: [a.id], at: BASE_TIME + HOUR }, { add: [first, suspectOf(b, 'short-b', BASE_TIME + HOUR)], dismiss: [] });
      assert.deepEqual(await store.getArticle(a.id), { ...a, lastSeen: BASE_TIME + HOUR });
      assert.deepEqual((await store.listVersions(a.id)).map((version) => version.version), [1]);
      assert.deepEqual(await store.listPendingFiles(), []);
      assert.deepEqual(await store.listSuspects('rfi'), [first]);
      assert.deepEqual((await store.listSuspects()).map((suspect) => suspect.sourceId), ['rfi', 'voa']);
      assert.equal((await store.findByKeys('rfi', [a.key])).get(a.key)?.suspectHash, 'short-1');
      // Seen again: one row, seen later; a second suspect hash becomes the newest.
      await store.applyChanges([], undefined, { add: [suspectOf(a, 'short-1', BASE_TIME + 2 * HOUR)], dismiss: [] });
      assert.deepEqual(await store.listSuspects('rfi'), [{ ...first, seenAt: BASE_TIME + 2 * HOUR }]);
      await store.applyChanges([], undefined, { add: [suspectOf(a, 'short-2', BASE_TIME + 3 * HOUR)], dismiss: [] });
      assert.equal((await store.findByKeys('rfi', [a.key])).get(a.key)?.suspectHash, 'short-2');
      assert.deepEqual((await store.listSuspects('rfi')).map((suspect) => suspect.contentHash), ['short-2'], 'one pending suspect per article');
      assert.deepEqual((await store.findByKeys('voa', [b.key])).get(b.key)?.suspectHash, 'short-b');
    });

    it('ST-23 suspect versions: dismissed by a sight of the current version, settled by an edit, kept out of a refused batch', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('rfi', 2);
      await store.applyChanges([added(a), added(b)]);
      await store.applyChanges([], undefined, { add: [suspectOf(a, 'short-a', BASE_TIME + HOUR), suspectOf(b, 'short-b', BASE_TIME + HOUR)], dismiss: [] });
      await store.applyChanges([], undefined, { add: [], dismiss: [a.id] });
      assert.deepEqual((await store.listSuspects('rfi')).map((suspect) => suspect.articleId), [b.id]);
      assert.equal((await store.findByKeys('rfi', [a.key])).get(a.key)?.suspectHash, undefined);
      // An edit with the suspect's hash promotes it; either way the article has no pending suspect left.
      const promoted = { ...editOf(b, BASE_TIME + 2 * HOUR), contentHash: 'short-b' };
      await store.applyChanges([edited(promoted)]);
      assert.deepEqual(await store.listSuspects(), []);
      assert.equal((await store.getArticle(b.id))?.contentHash, 'short-b');
      // A refused batch writes no suspect either.
      await assertStoreError(store.applyChanges([added(a)], undefined, { add: [suspectOf(b, 'short-c', BASE_TIME + 3 * HOUR)], dismiss: [] }));
      assert.deepEqual(await store.listSuspects(), []);
      await store.applyChanges([], undefined, { add: [suspectOf(a, 'short-d', BASE_TIME + 3 * HOUR)], dismiss: [] });
      await store.clearArticles();
      assert.deepEqual(await store.listSuspects(), []);
    });

    it('ST-E1 listRecentEdits: versions after the first across sources, newest first, filtered by source, limited', async () => {
      const a = sampleArticle('rfi', 1);
      const b = sampleArticle('voa', 2);
      const untouched = sampleArticle('rfi', 3);
      await store.applyChanges([added(a), added(b), added(untouched)]);
      const a2 = editOf(a, BASE_TIME + HOUR);
      const b2 = editOf(b, BASE_TIME + 2 * HOUR);
      const a3 = editOf(a2, BASE_TIME + 3 * HOUR);
      await store.applyChanges([edited(a2)]);
      await store.applyChanges([edited(b2)]);
      await store.applyChanges([edited(a3)]);
      const row = (article: Article) => ({ articleId: article.id, sourceId: article.sourceId, version: article.version, title: article.title, seenAt: article.lastSeen });
      assert.deepEqual(await store.listRecentEdits({ limit: 10 }), [row(a3), row(b2), row(a2)]);
      assert.deepEqual(await store.listRecentEdits({ limit: 2 }), [row(a3), row(b2)]);
      assert.deepEqual(await store.listRecentEdits({ sourceIds: ['rfi'], limit: 10 }), [row(a3), row(a2)]);
      assert.deepEqual(await store.listRecentEdits({ sourceIds: ['voa', 'dw'], limit: 10 }), [row(b2)]);
      assert.deepEqual(await store.listRecentEdits({ sourceIds: ['dw'], limit: 10 }), []);
    });

    it('ST-17 fractional epoch ms are stored rounded, not refused', async () => {
      const article = sampleArticle('rfi', 1, { published: BASE_TIME + 0.4, firstSeen: BASE_TIME, lastSeen: BASE_TIME + 10.6, updated: undefined });
      delete article.updated;
      await store.applyChanges([added(article)]);
      assert.deepEqual(await store.getArticle(article.id), { ...article, published: BASE_TIME, lastSeen: BASE_TIME + 11 });
      await store.touchSeen([article.id], BASE_TIME + 20.5);
      assert.equal((await store.getArticle(article.id))?.lastSeen, BASE_TIME + 21);
      await store.saveSourceState({ sourceId: 'rfi', consecutiveFailures: 0, nextCheckAt: BASE_TIME + 0.5 });
      assert.equal((await store.getSourceState('rfi'))?.nextCheckAt, BASE_TIME + 1);
    });

    it('ST-25 a source state save with a version is a compare-and-set: a stale one is refused and writes nothing', async () => {
      assert.deepEqual(await store.readSourceState('rfi'), { version: 0 });
      const first: SourceState = { sourceId: 'rfi', consecutiveFailures: 0, etag: '"a"', nextCheckAt: BASE_TIME + HOUR };
      assert.equal(await store.saveSourceState(first, { ifVersion: 0 }), true);
      assert.deepEqual(await store.readSourceState('rfi'), { state: first, version: 1 });
      // Two workers read version 1; the first save wins, the second (based on version 1) is refused.
      const winner: SourceState = { ...first, etag: '"b"', consecutiveFailures: 0 };
      const stale: SourceState = { ...first, etag: undefined, consecutiveFailures: 3 };
      delete stale.etag;
      assert.equal(await store.saveSourceState(winner, { ifVersion: 1 }), true);
      assert.equal(await store.saveSourceState(stale, { ifVersion: 1 }), false);
      assert.deepEqual(await store.readSourceState('rfi'), { state: winner, version: 2 });
      assert.equal(await store.saveSourceState({ sourceId: 'bbc', consecutiveFailures: 0 }, { ifVersion: 0 }), true);
      assert.equal(await store.saveSourceState({ sourceId: 'bbc', consecutiveFailures: 1 }, { ifVersion: 0 }), false, 'a second first save is refused too');
      assert.equal(await store.saveSourceState({ sourceId: 'voa', consecutiveFailures: 1 }, { ifVersion: 4 }), false, 'a version never stored is stale');
      assert.equal(await store.getSourceState('voa'), undefined);
      // A save without a version (tools, tests) still raises the version, so a worker's later CAS notices it.
      assert.equal(await store.saveSourceState({ ...winner, consecutiveFailures: 5 }), true);
      assert.equal((await store.readSourceState('rfi')).version, 3);
      assert.equal(await store.saveSourceState(winner, { ifVersion: 2 }), false);
      assert.equal((await store.getSourceState('rfi'))?.consecutiveFailures, 5);
    });

    it('ST-26 article ids are listed newest published first, ties by id, for a source and for all', async () => {
      const older = sampleArticle('rfi', 1);
      const newest = sampleArticle('rfi', 3);
      const tieA = sampleArticle('voa', 2);
      const tieB = sampleArticle('rfi', 2, { path: 'articles/rfi/tie.md' });
      await store.applyChanges([older, tieA, newest, tieB].map(added));
      const ties = [tieA.id, tieB.id].sort();
      assert.deepEqual(await store.listArticleIds(), [newest.id, ...ties, older.id]);
      assert.deepEqual(await store.listArticleIds('rfi'), [newest.id, tieB.id, older.id]);
    });
  });
}
