import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createArchiveWriter } from '../../src/adapters/archive/index.js';
import { openGitHistory, openImportTally } from '../../src/adapters/git/index.js';
import { createHttpClient } from '../../src/adapters/http/index.js';
import { createStreamLogger } from '../../src/adapters/log/index.js';
import { openSqliteSearchIndex } from '../../src/adapters/search/index.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { openArchiveThread, openCleanThread, openSearchThread } from '../../src/adapters/threads/index.js';
import { DUTYMACHINE_FOLDERS, DUTYMACHINE_TREES, readDutyMachineFile, type BodyCleaner, type CleanRequest } from '../../src/core/import/index.js';
import { openDutyMachineHistory } from '../../src/main/import.js';
import { articleId, canonicalizeUrl, identityOfEntry, planIdentity, sha256Hex } from '../../src/core/identity/index.js';
import type { Source } from '../../src/core/model/index.js';
import { parseReceivedItem } from '../../src/core/pipeline/received-item.js';
import { importDutyMachine, rebuildStore, type ImportOptions, type ImportReport, type PipelineDeps } from '../../src/core/pipeline/index.js';
import type { Store } from '../../src/core/ports.js';
import { indexTextOf } from '../../src/core/search/index.js';
import { CORPORA, FIXTURE_CORPUS, corpusPath, loadCorpusRows, type CorpusRow } from '../helpers/corpus.js';
import { buildHistory, dutyMachineText, type HistoryCommit } from '../helpers/dutymachine.js';
import { createTempDirs, testGitEnv } from '../helpers/git.js';
import { dumpSqliteSearch } from '../helpers/search-dump.js';

const temp = createTempDirs();
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
  temp.cleanup();
});

const HOUR = 3_600_000;
const T1 = Date.UTC(2020, 6, 1, 8);
const SOURCES: Source[] = Object.values(DUTYMACHINE_FOLDERS).map((id) => ({
  id, name: id.toUpperCase(), url: `https://feeds.example.test/${id}.xml`, enabled: true, guidPolicy: 'auto', fulltext: 'feed', intervalMinutes: 60,
}));

const rows = loadCorpusRows(FIXTURE_CORPUS);
const row = (prefix: string): CorpusRow => rows.find((candidate) => candidate.path.startsWith(prefix))!;
const rfiA = row('articles/法广/1046912_');
const rfiB = row('articles/法广/1046913_');
const bbc = row('articles/BBC/1048126_');
const cdt = row('articles/中国数字时代/400701_'); // header-less, 日期 line
const dw = row('articles/德国之声/1048198_'); // title split over three lines
const idOf = (sourceId: string, link: string): string => articleId(sourceId, canonicalizeUrl(link)!);

const dateLine = /^日期：([^\n]+)\n+/.exec(cdt.html)!;
const cdtPublished = Date.parse(dateLine[1]!);
const cdtBody = cdt.html.slice(dateLine[0].length);
const cdtPath = cdt.path;
const cdtRenamed = cdt.path.replace('.md', '（一）.md');
const overwritten = 'articles/法广/1046912_reused.md';

// The original's bugs, replayed: a path overwritten by another article, a file deleted, a CDT file
// rewritten from the header-less into the header format, a title edit making a second path, a title
// line split over three lines, a folder with no source, an empty file.
const COMMITS: HistoryCommit[] = [
  { time: T1, files: { [overwritten]: dutyMachineText(rfiA), [bbc.path]: dutyMachineText(bbc), 'lists/法广.md': 'list' } },
  { time: T1 + HOUR, files: { [cdtPath]: dutyMachineText(cdt), [dw.path]: dutyMachineText(dw), 'articles/其他/1.md': '[x](https://example.test/1)\n------\n\nx\n' } },
  { time: T1 + 2 * HOUR, files: { [overwritten]: dutyMachineText(rfiB), [cdtPath]: dutyMachineText({ ...cdt, pubDate: cdtPublished, html: cdtBody }) } },
  {
    time: T1 + 3 * HOUR,
    files: { [bbc.path]: null, [cdtRenamed]: dutyMachineText({ ...cdt, pubDate: cdtPublished, title: `${cdt.title}（一）`, html: `${cdtBody}\n<p>更新：补充内容。</p>` }), 'articles/BBC/1048999.md': '' },
  },
];

interface Setup {
  repo: string;
  archive: string;
  store: Store;
  deps: PipelineDeps;
  run(signal?: AbortSignal, onProgress?: () => void, storeBatch?: { changes: number; ms: number }, cleaner?: BodyCleaner, extra?: Partial<ImportOptions>): Promise<ImportReport>;
}

async function setup(): Promise<Setup> {
  const base = temp.make('newsmirror-import-');
  const repo = join(base, 'old');
  const archive = join(base, 'archive');
  buildHistory(repo, COMMITS);
  await mkdir(archive);
  const store = openSqliteStore(join(base, 'store.db'));
  const http = createHttpClient();
  const deps: PipelineDeps = {
    http, store, archive: createArchiveWriter(archive), clock: { now: () => Date.UTC(2026, 0, 1) },
    logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
  };
  closers.push(async () => {
    await http.close();
    await store.close();
  });
  const run = async (signal?: AbortSignal, onProgress?: () => void, storeBatch?: { changes: number; ms: number }, cleaner?: BodyCleaner, extra: Partial<ImportOptions> = {}): Promise<ImportReport> => {
    const history = openGitHistory(repo, { env: testGitEnv(), accept: (path) => path.endsWith('.md') });
    const tally = openImportTally();
    try {
      return await importDutyMachine(deps, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally, signal, onProgress, storeBatch, cleaner, ...extra });
    } finally {
      await tally.close();
      await history.close();
    }
  };
  return { repo, archive, store, deps, run };
}

async function snapshot(store: Store): Promise<unknown> {
  const ids = (await store.listArticleIds()).sort();
  return Promise.all(ids.map(async (id) => ({ article: await store.getArticle(id), versions: await store.listVersions(id) })));
}

describe('importDutyMachine over a real git history', () => {
  let s: Setup;
  let first: ImportReport;
  before(async () => {
    s = await setup();
    first = await s.run();
  });

  it('IM01 every distinct article exactly once, by its link, never by the old file id', async () => {
    const ids = (await s.store.listArticleIds()).sort();
    const expected = [idOf('rfi', rfiA.link), idOf('rfi', rfiB.link), idOf('bbc', bbc.link), idOf('cdt', cdt.link), idOf('dw', 'https://www.dw.com/zh/%E5%BE%B7%E8%AF%AD%E5%AA%92%E4%BD%93%EF%BC%9A%E5%8C%97%E4%BA%AC%E7%9A%84%E5%BF%AB%E9%80%9F%E5%9B%9E%E5%BA%94/a-53985946')].sort();
    assert.deepEqual(ids, expected);
  });

  it('IM02 the overwritten and the deleted articles are recovered with their text, first seen at their first commit', async () => {
    const a = await s.store.getArticle(idOf('rfi', rfiA.link));
    assert.equal(a?.title, rfiA.title);
    assert.equal(a?.firstSeen, T1);
    assert.equal(a?.published, rfiA.pubDate);
    const b = await s.store.getArticle(idOf('rfi', rfiB.link));
    assert.equal(b?.firstSeen, T1 + 2 * HOUR);
    const gone = await s.store.getArticle(idOf('bbc', bbc.link));
    assert.equal(gone?.title, bbc.title);
    const file = await readFile(join(s.archive, gone!.path), 'utf8');
    assert.ok(file.includes(bbc.title), 'its file is written in the newsmirror layout');
    assert.match(gone!.path, /^articles\/bbc\/2020\/07\/08\//);
  });

  it('IM03 the CDT article: rewritten format merged, the title edit a second version, in commit order, raw body kept', async () => {
    const id = idOf('cdt', cdt.link);
    const versions = await s.store.listVersions(id);
    assert.deepEqual(versions.map((version) => [version.version, version.title, version.seenAt]), [
      [1, cdt.title, T1 + HOUR],
      [2, `${cdt.title}（一）`, T1 + 3 * HOUR],
    ]);
    const article = await s.store.getArticle(id);
    assert.equal(article?.firstSeen, T1 + HOUR);
    assert.equal(article?.published, cdtPublished);
    assert.ok(article?.bodyHtml.includes('更新：补充内容。'));
    const raw = parseReceivedItem((await s.store.getRaw(id))!);
    assert.equal(raw.entry.content, `${cdtBody}\n<p>更新：补充内容。</p>`);
  });

  it('IM12 an earlier version is a file beside its article, and a store rebuilt from the files alone has every version', async () => {
    const id = idOf('cdt', cdt.link);
    const article = await s.store.getArticle(id);
    const v1 = await readFile(join(s.archive, article!.path.replace(/\.md$/, '.versions/v1.md')), 'utf8');
    assert.ok(v1.includes(`[${cdt.title}]`), 'v1 holds the title before the edit');
    assert.doesNotMatch(v1, /更新：补充内容。/);
    const rebuilt = openSqliteStore(join(temp.make('newsmirror-import-rebuilt-'), 'store.db'));
    closers.push(() => rebuilt.close());
    await rebuildStore({ archive: s.deps.archive, store: rebuilt });
    const titles = (store: Store) => store.listVersions(id).then((versions) => versions.map((version) => [version.version, version.title, version.bodyHtml]));
    assert.deepEqual(await titles(rebuilt), await titles(s.store));
  });

  it('IM04 the title split over three lines is one title', async () => {
    const [article] = await s.store.getArticles([idOf('dw', 'https://www.dw.com/zh/%E5%BE%B7%E8%AF%AD%E5%AA%92%E4%BD%93%EF%BC%9A%E5%8C%97%E4%BA%AC%E7%9A%84%E5%BF%AB%E9%80%9F%E5%9B%9E%E5%BA%94/a-53985946')]);
    assert.equal(article?.title, '德语媒体：北京的快速回应');
  });

  it('IM05 the report counts exactly', () => {
    assert.equal(first.commits, 4);
    assert.equal(first.versionsRead, 9);
    assert.equal(first.articles, 5);
    assert.equal(first.recovered, 2);
    assert.equal(first.newArticles, 5);
    assert.equal(first.newVersions, 1);
    assert.equal(first.unchanged, 1, 'the CDT file rewritten into the header format');
    assert.equal(first.duplicatesMerged, 1, 'the CDT title edit');
    assert.deepEqual(first.unreadableByReason, { 'unmapped-folder': 1, empty: 1 });
    assert.deepEqual(first.unmappedFolders, { 其他: 1 });
    assert.deepEqual(first.unreadable.map((file) => file.path).sort(), ['articles/BBC/1048999.md', 'articles/其他/1.md']);
    const rfi = first.sources.find((share) => share.sourceId === 'rfi');
    assert.deepEqual([rfi?.articles, rfi?.recovered], [2, 1]);
  });

  it('IM06 running it again changes nothing', async () => {
    const before = await snapshot(s.store);
    const again = await s.run();
    assert.deepEqual([again.newArticles, again.newVersions, again.articles, again.recovered], [0, 0, 5, 2]);
    assert.deepEqual(await snapshot(s.store), before);
  });

  it('IM07 an import stopped after a commit is resumed by running it again, to the same result', async () => {
    const other = await setup();
    const controller = new AbortController();
    const stopped = await other.run(controller.signal, () => controller.abort());
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.commits, 1);
    await other.run();
    assert.deepEqual(await snapshot(other.store), await snapshot(s.store));
  });

  it('IM32 a file that cannot be written fails the import with its marks still pending; the next run writes every file', async () => {
    const other = await setup();
    const archive = other.deps.archive;
    let articleWrites = 0;
    other.deps.archive = {
      ...archive,
      write: async (path, content) => {
        if (path.startsWith('articles/') && articleWrites++ === 1) throw new Error('disk full');
        return archive.write(path, content);
      },
    };
    await assert.rejects(other.run(), /disk full/);
    assert.ok((await other.store.listPendingFiles()).length > 0);
    other.deps.archive = archive;
    await other.run();
    assert.deepEqual(await other.store.listPendingFiles(), []);
    assert.deepEqual(await filesUnder(other.archive), await filesUnder(s.archive));
  });

  it('IM08 the whole history in one store batch, or a batch per change: the same store and report', async () => {
    for (const storeBatch of [{ changes: Number.POSITIVE_INFINITY, ms: Number.POSITIVE_INFINITY }, { changes: 1, ms: 0 }]) {
      const other = await setup();
      const report = await other.run(undefined, undefined, storeBatch);
      assert.deepEqual(report, first);
      assert.deepEqual(await snapshot(other.store), await snapshot(s.store));
    }
  });
});

// Every file below a folder with its text, by archive-relative path.
async function filesUnder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(root.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}

describe('importDutyMachine with its bodies cleaned on another thread', () => {
  it('IM09 the same store, files and report as cleaned inline', async () => {
    const inline = await setup();
    const inlineReport = await inline.run();
    const threaded = await setup();
    const cleaner = openCleanThread();
    let report: ImportReport;
    try {
      report = await threaded.run(undefined, undefined, undefined, cleaner);
    } finally {
      await cleaner.close();
    }
    assert.deepEqual(report, inlineReport);
    assert.deepEqual(await snapshot(threaded.store), await snapshot(inline.store));
    const files = await filesUnder(threaded.archive);
    assert.ok(files.size > 5, 'article files and lists written');
    assert.deepEqual(files, await filesUnder(inline.archive));
  });

  it('IM33 the search index the thread prepares is the one the index computes: the same rows and postings', async () => {
    const indexed = async (cleaner?: BodyCleaner): Promise<unknown> => {
      const s = await setup();
      const file = join(dirname(s.repo), 'store.db');
      const search = openSqliteSearchIndex(file);
      s.deps.search = search;
      try {
        await s.run(undefined, undefined, undefined, cleaner);
      } finally {
        await search.close();
      }
      return dumpSqliteSearch(file);
    };
    const inline = await indexed();
    const thread = openCleanThread();
    let prepared = 0;
    const cleaner: BodyCleaner = {
      clean: (requests) => thread.clean(requests),
      indexTexts: (articles) => {
        prepared += articles.length;
        return thread.indexTexts(articles);
      },
      close: () => thread.close(),
    };
    try {
      assert.deepEqual(await indexed(cleaner), inline);
    } finally {
      await cleaner.close();
    }
    assert.equal((inline as { docs: unknown[] }).docs.length, 5);
    assert.equal(prepared, 5, 'every indexed article was prepared on the thread');
  });

  it('IM34 indexed beside the walk on the search thread, a window at a time: the same rows and postings, store, files and report as indexed at each flush', async () => {
    const indexed = async (beside: boolean): Promise<{ dump: unknown; report: ImportReport; store: unknown; files: Map<string, string>; duringWalk: number }> => {
      const s = await setup();
      const file = join(dirname(s.repo), 'store.db');
      const thread = beside ? openSearchThread(file) : undefined;
      const search = thread ?? openSqliteSearchIndex(file);
      let calls = 0;
      s.deps.search = { index: (articles, texts) => ((calls += 1), search.index(articles, texts)), remove: (ids) => search.remove(ids), search: (query) => search.search(query), close: () => search.close() };
      let report: ImportReport;
      // The index calls made before the walk's last commit, that is before any flush (the history is far shorter than one).
      let duringWalk = 0;
      try {
        // One change a batch and a window of one: every stored batch goes to the index on its own.
        report = await s.run(undefined, () => (duringWalk = calls), { changes: 1, ms: 0 }, undefined, thread === undefined ? {} : { indexBeside: thread, indexWindow: 1 });
      } finally {
        await search.close();
      }
      return { dump: dumpSqliteSearch(file), report, store: await snapshot(s.store), files: await filesUnder(s.archive), duringWalk };
    };
    const atFlush = await indexed(false);
    const beside = await indexed(true);
    assert.deepEqual(beside.dump, atFlush.dump);
    assert.deepEqual(beside.report, atFlush.report);
    assert.deepEqual(beside.store, atFlush.store);
    assert.deepEqual(beside.files, atFlush.files);
    assert.equal((atFlush.dump as { docs: unknown[] }).docs.length, 5);
    assert.equal(atFlush.duringWalk, 0, 'indexed at the flush, nothing before it');
    assert.ok(beside.duringWalk >= 3, `the walk sent its windows to the index as it stored them (${beside.duringWalk} calls before the flush)`);
  });

  it('IM35 a store batch is put off while the paused index beside ends its transaction, up to its limit: fewer transactions, the same store, files and report', async () => {
    const stored = async (writing: boolean): Promise<{ transactions: number; report: ImportReport; store: unknown; files: Map<string, string> }> => {
      const s = await setup();
      const store = s.deps.store;
      let transactions = 0;
      s.deps.store = Object.assign(Object.create(store) as Store, {
        applyChanges: (...args: Parameters<Store['applyChanges']>) => ((transactions += 1), store.applyChanges(...args)),
      });
      let paused = 0;
      let resumed = 0;
      const indexBeside = { pause: () => ((paused += 1), writing), resume: () => void (resumed += 1) };
      const report = await s.run(undefined, undefined, { changes: 1, ms: 0 }, undefined, { indexBeside });
      assert.ok(paused > 0 && resumed > 0, 'the index is paused before a batch and resumed after it');
      return { transactions, report, store: await snapshot(store), files: await filesUnder(s.archive) };
    };
    const free = await stored(false);
    const busy = await stored(true);
    assert.ok(busy.transactions < free.transactions, `put off while the index writes: ${busy.transactions} transactions against ${free.transactions}`);
    assert.deepEqual(busy.report, free.report);
    assert.deepEqual(busy.store, free.store);
    assert.deepEqual(busy.files, free.files);
  });

  it('IM10 the plan takes the bodies the cleaner gave, and cleans itself only where it gave none; identity takes the hashes it gave when at hand', async () => {
    const s = await setup();
    // A content hash no entry has: the plan computes the real one itself wherever it does not take the cleaner's.
    const markedHash = (request: CleanRequest): string => sha256Hex(`ahead\n${identityOfEntry({ title: request.title, content: request.html }).contentHash}`);
    const marked: BodyCleaner = {
      clean: async (requests) => requests.map((request) => (request.link.includes('dw.com') ? undefined : {
        url: new URL(request.link).href,
        html: '<p>cleaned ahead</p>',
        identity: { ...identityOfEntry({ title: request.title, content: request.html, link: request.link }), contentHash: markedHash(request) },
      })),
      indexTexts: async (articles) => articles.map(indexTextOf),
      close: async () => undefined,
    };
    await s.run(undefined, undefined, undefined, marked);
    const articles = await s.store.getArticles(await s.store.listArticleIds());
    assert.equal(articles.length, 5);
    let taken = 0;
    for (const article of articles) {
      const stored = await s.store.getRaw(article.id);
      assert.ok(stored);
      const raw = parseReceivedItem(stored).entry;
      const real = identityOfEntry(raw).contentHash;
      if (article.sourceId === 'dw') {
        assert.ok(article.bodyHtml.length > 100 && !article.bodyHtml.includes('cleaned ahead'));
        assert.equal(article.contentHash, real);
      } else {
        assert.equal(article.bodyHtml, '<p>cleaned ahead</p>');
        const ahead = sha256Hex(`ahead\n${real}`);
        assert.ok(article.contentHash === real || article.contentHash === ahead, article.id);
        if (article.contentHash === ahead) taken++;
      }
    }
    assert.ok(taken > 0, 'the identity computed ahead was taken');
  });
});

describe('importDutyMachine with one durability point per flush', () => {
  it('IM11 settle is called after the files are written and before their marks are cleared, and the result is the same', async () => {
    const plain = await setup();
    const plainReport = await plain.run();
    const s = await setup();
    const archive = openArchiveThread(s.archive, { deferSync: true });
    const seen: { pending: number; files: number }[] = [];
    const settle = async (): Promise<void> => {
      await archive.sync();
      seen.push({ pending: (await s.store.listPendingFiles()).length, files: (await filesUnder(s.archive)).size });
    };
    const history = openGitHistory(s.repo, { env: testGitEnv(), accept: (path) => path.endsWith('.md') });
    const tally = openImportTally();
    let report: ImportReport;
    try {
      report = await importDutyMachine({ ...s.deps, archive }, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally, settle });
    } finally {
      await archive.close();
      await tally.close();
      await history.close();
    }
    assert.deepEqual(report, plainReport);
    assert.ok(seen.length > 0 && seen.every((point) => point.pending > 0 && point.files > 0), 'marks still pending, files there');
    assert.deepEqual(await s.store.listPendingFiles(), []);
    assert.deepEqual(await filesUnder(s.archive), await filesUnder(plain.archive));
  });
});

describe('importDutyMachine over a fork with Jekyll posts', () => {
  // NodeBE4/oped2-style posts: the same block inside front matter, the site named by the first category.
  const front = (category: string, title: string): string => `---\r\nlayout: post\r\ntitle: "${title}"\r\ndate: 2020-07-01T10:00:00+08:00\r\ncategories: [ ${category} ]\r\n---\r\n`;
  const rfiPost = '_posts/2020-07-01-rfi-a.md';
  const barePost = '_posts/2020-07-02-rfi-b.md';
  const POSTS: HistoryCommit[] = [
    { time: T1, files: { [rfiPost]: `${front('法广', 'x')}${dutyMachineText(rfiA)}`, '_posts/2020-07-01-paopao.md': `${front('泡泡', '泡泡')}<p>泡泡</p>\n`, '_config.yml': 'x' } },
    { time: T1 + HOUR, files: { [barePost]: `${front('法广', rfiB.title!)}[](${rfiB.link})\r\n------\r\n\r\n${rfiB.html}\r\n`, [rfiA.path]: dutyMachineText(rfiA) } },
    { time: T1 + 2 * HOUR, files: { '_posts/2020-07-03-none.md': `---\nlayout: post\n---\n${dutyMachineText(bbc)}`, [rfiA.path]: null } },
  ];

  it('IM20 posts are walked and read; one article under a post and an article path is merged; a category with no source is reported', async () => {
    const base = temp.make('newsmirror-import-jekyll-');
    const repo = join(base, 'fork');
    buildHistory(repo, POSTS);
    const store = openSqliteStore(join(base, 'store.db'));
    const http = createHttpClient();
    await mkdir(join(base, 'archive'));
    const deps: PipelineDeps = {
      http, store, archive: createArchiveWriter(join(base, 'archive')), clock: { now: () => Date.UTC(2026, 0, 1) },
      logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
    };
    const history = await openDutyMachineHistory(repo);
    const tally = openImportTally();
    // Cleaned on the thread, as the command cleans: the corpus's real bodies go through it.
    const cleaner = openCleanThread();
    let report: ImportReport;
    try {
      report = await importDutyMachine(deps, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally, cleaner });
    } finally {
      await tally.close();
      await history.close();
      await http.close();
    }
    try {
      assert.deepEqual(DUTYMACHINE_TREES, ['articles/', '_posts/']);
      assert.deepEqual([report.commits, report.versionsRead, report.articles, report.recovered, report.duplicatesMerged, report.newArticles], [3, 5, 2, 0, 1, 2]);
      assert.deepEqual(report.unmappedFolders, { 泡泡: 1, _posts: 1 });
      assert.deepEqual(report.unreadable.map((file) => file.path).sort(), ['_posts/2020-07-01-paopao.md', '_posts/2020-07-03-none.md']);
      const a = await store.getArticle(idOf('rfi', rfiA.link));
      assert.deepEqual([a?.title, a?.published, a?.firstSeen], [rfiA.title, rfiA.pubDate, T1]);
      const b = await store.getArticle(idOf('rfi', rfiB.link));
      assert.equal(b?.title, rfiB.title, 'the title of a bare block comes from the front matter');
      assert.equal(b?.published, Date.UTC(2020, 6, 1, 2), 'so does the date');
      assert.equal(parseReceivedItem((await store.getRaw(b!.id))!).entry.content, rfiB.html, 'the raw item is the post body, CRLF read as LF');
    } finally {
      await store.close();
    }
  });
});

describe('importDutyMachine and suspect versions', () => {
  // A history that cut the article short in a later commit (a feed giving a summary for a while),
  // then gave the whole text again with a correction.
  const full = dutyMachineText(bbc);
  const truncated = dutyMachineText({ ...bbc, html: '<p>摘要。</p>' });
  const corrected = dutyMachineText({ ...bbc, html: `${bbc.html}<p>更正：补充。</p>` });
  const SHRINKS: HistoryCommit[] = [
    { time: T1, files: { [bbc.path]: full } },
    { time: T1 + HOUR, files: { [bbc.path]: truncated } },
    { time: T1 + 2 * HOUR, files: { 'articles/BBC/1048000_copy.md': truncated } },
  ];

  async function importInto(base: string, commits: HistoryCommit[]): Promise<{ report: ImportReport; store: Store }> {
    const repo = join(base, `old-${commits.length}`);
    if (!existsSync(repo)) buildHistory(repo, commits);
    const store = openSqliteStore(join(base, 'store.db'));
    const http = createHttpClient();
    await mkdir(join(base, 'archive'), { recursive: true });
    const deps: PipelineDeps = {
      http, store, archive: createArchiveWriter(join(base, 'archive')), clock: { now: () => Date.UTC(2026, 0, 1) },
      logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
    };
    const history = openGitHistory(repo, { env: testGitEnv() });
    const tally = openImportTally();
    try {
      return { report: await importDutyMachine(deps, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally }), store };
    } finally {
      await tally.close();
      await history.close();
      await http.close();
      closers.push(() => store.close());
    }
  }

  it('IM21 a truncated later version is held back, never current; seen again it stays held back; a full later version is current', async () => {
    const base = temp.make('newsmirror-import-suspect-');
    const id = idOf('bbc', bbc.link);
    const { report, store } = await importInto(base, SHRINKS);
    assert.deepEqual([report.newArticles, report.newVersions, report.suspects, report.unchanged], [1, 0, 1, 1]);
    const article = await store.getArticle(id);
    assert.equal(article?.version, 1);
    assert.ok(!article?.bodyHtml.includes('摘要。'), 'the current body is the full text');
    const [suspect] = await store.listSuspects('bbc');
    assert.deepEqual([suspect?.articleId, suspect?.reason, suspect?.seenAt], [id, 'shorter', T1 + HOUR]);

    const again = await importInto(base, SHRINKS);
    assert.deepEqual([again.report.newArticles, again.report.newVersions, again.report.suspects], [0, 0, 0], 'a re-run promotes nothing');
    assert.equal((await store.getArticle(id))?.version, 1);

    const later = await importInto(base, [...SHRINKS, { time: T1 + 3 * HOUR, files: { [bbc.path]: corrected } }]);
    assert.deepEqual([later.report.newVersions, later.report.suspects], [1, 0]);
    const current = await store.getArticle(id);
    assert.deepEqual([current?.version, current?.bodyHtml.includes('更正：补充。')], [2, true]);
    assert.deepEqual(await store.listSuspects('bbc'), [], 'the held-back version is settled by the later edit');
  });
});

interface VersionRow extends CorpusRow {
  commit: string;
  committed_at: string;
}

interface ArticleRow extends VersionRow {
  versions: number;
  deleted_later: boolean;
}

/** fastImport builds a repository whose history writes the given bytes, commit by commit, in one `git fast-import`. */
function fastImport(dir: string, commits: { time: number; files: Map<string, Buffer | null> }[]): void {
  execFileSync('git', ['init', '-q', '-b', 'master', dir], { env: testGitEnv(), stdio: 'pipe' });
  const chunks: Buffer[] = [];
  // fast-import's C-style quoting: the corpus has a path with line breaks in it.
  const quote = (path: string): string => `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  commits.forEach((commit, index) => {
    const seconds = Math.floor(commit.time / 1000);
    chunks.push(Buffer.from(`commit refs/heads/master\nmark :${index + 1}\ncommitter Old <old@example.test> ${seconds} +0000\ndata 6\nupdate\n${index > 0 ? `from :${index}\n` : ''}`));
    for (const [path, bytes] of commit.files) {
      if (bytes === null) chunks.push(Buffer.from(`D ${quote(path)}\n`));
      else chunks.push(Buffer.from(`M 100644 inline ${quote(path)}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
    }
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env: testGitEnv(), input: Buffer.concat(chunks), stdio: ['pipe', 'pipe', 'pipe'] });
  execFileSync('git', ['reset', '-q', '--hard'], { cwd: dir, env: testGitEnv(), stdio: 'pipe' });
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}

for (const corpus of CORPORA) describe(`importDutyMachine over the history of the ${corpus.name} corpus`, () => {
  it('IM30 the report counts exactly what the history holds', { skip: corpus.skip }, async () => {
    // Every path's versions as the corpus recorded them (article_versions.jsonl for the paths that
    // changed, else the one version of articles.jsonl), the raw samples byte for byte at their commit,
    // grouped into the corpus's commits; the paths deleted later go in a last commit.
    const articles = readJsonl<ArticleRow>(corpusPath(corpus, 'dutymachine/articles.jsonl'));
    const versionsFile = join(corpus.dir, 'dutymachine/article_versions.jsonl');
    // Only versions of the articles listed: the fixture corpus keeps version rows of other articles for the diff tests.
    const listed = new Set(articles.map((row) => row.path));
    const changed = (existsSync(versionsFile) ? readJsonl<VersionRow>(versionsFile) : []).filter((version) => listed.has(version.path));
    const manifest = readFileSync(corpusPath(corpus, 'dutymachine/raw_samples/MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
    const raw = new Map(manifest.map(([file, , path, commit]) => [`${path}\n${commit}`, readFileSync(corpusPath(corpus, `dutymachine/raw_samples/${file}`))]));
    const versions: VersionRow[] = [...changed, ...articles.filter((row) => !changed.some((version) => version.path === row.path))];
    const byCommit = new Map<string, { time: number; files: Map<string, Buffer | null> }>();
    for (const version of versions) {
      const commit = byCommit.get(version.commit) ?? { time: Date.parse(version.committed_at), files: new Map<string, Buffer | null>() };
      commit.files.set(version.path, raw.get(`${version.path}\n${version.commit}`) ?? Buffer.from(dutyMachineText(version)));
      byCommit.set(version.commit, commit);
    }
    const commits = [...byCommit.values()].sort((a, b) => a.time - b.time);
    const lastTime = commits.at(-1)!.time;
    const deleted = articles.filter((row) => row.deleted_later).map((row) => row.path);
    if (deleted.length > 0) commits.push({ time: lastTime + HOUR, files: new Map(deleted.map((path) => [path, null])) });
    // The original's reused ids, replayed: three old files overwritten later by other articles.
    const reused = articles.filter((row) => !row.deleted_later && row.versions === 1 && row.flags.length === 0).slice(0, 3);
    commits.push({
      time: lastTime + 2 * HOUR,
      files: new Map(reused.map((row, index) => {
        const other = new URL(reused[(index + 1) % reused.length]!.link);
        other.pathname += `-reused-${index}`;
        return [row.path, Buffer.from(dutyMachineText({ ...row, link: other.href, html: `<p>另一篇文章 ${index}</p>` }))];
      })),
    });

    // What the report must say, counted here from the same bytes: HEAD holds each path's last text.
    const head = new Set<string>();
    const last = new Map<string, Buffer | null>();
    for (const commit of commits) for (const [path, bytes] of commit.files) last.set(path, bytes);
    for (const bytes of last.values()) if (bytes !== null) head.add(bytes.toString('base64'));
    const byArticle = new Map<string, { sourceId: string; paths: Set<string>; atHead: boolean }>();
    const unreadable: Record<string, number> = {};
    let read = 0;
    for (const commit of commits) {
      for (const [path, bytes] of commit.files) {
        if (bytes === null) continue;
        read++;
        const file = readDutyMachineFile(bytes.toString('utf8'));
        if (!file.ok) {
          unreadable[file.reason] = (unreadable[file.reason] ?? 0) + 1;
          continue;
        }
        const sourceId = DUTYMACHINE_FOLDERS[path.split('/')[1]!]!;
        const id = planIdentity(sourceId, [file.entry], 'auto').entries[0]!.id;
        const article = byArticle.get(id) ?? { sourceId, paths: new Set<string>(), atHead: false };
        article.paths.add(path);
        article.atHead ||= head.has(bytes.toString('base64'));
        byArticle.set(id, article);
      }
    }
    const perSource = new Map<string, { articles: number; recovered: number }>();
    for (const article of byArticle.values()) {
      const share = perSource.get(article.sourceId) ?? { articles: 0, recovered: 0 };
      share.articles++;
      if (!article.atHead) share.recovered++;
      perSource.set(article.sourceId, share);
    }

    const base = temp.make('newsmirror-import-corpus-');
    fastImport(join(base, 'old'), commits);
    const store = openSqliteStore(join(base, 'store.db'));
    const http = createHttpClient();
    await mkdir(join(base, 'archive'));
    const deps: PipelineDeps = {
      http, store, archive: createArchiveWriter(join(base, 'archive'), { syncFiles: false }), clock: { now: () => Date.UTC(2026, 0, 1) },
      logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
    };
    const history = await openDutyMachineHistory(join(base, 'old'));
    const tally = openImportTally();
    // Cleaned on the thread, as the command cleans: the corpus's real bodies go through it.
    const cleaner = openCleanThread();
    let report: ImportReport;
    try {
      report = await importDutyMachine(deps, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally, cleaner });
      assert.equal((await store.listArticleIds()).length, byArticle.size, 'every distinct article stored exactly once');
    } finally {
      await cleaner.close();
      await tally.close();
      await history.close();
      await http.close();
      await store.close();
    }
    assert.equal(report.commits, commits.length);
    assert.equal(report.versionsRead, read);
    assert.equal(report.versionsRead, articles.reduce((sum, row) => sum + row.versions, 0) + reused.length);
    assert.ok(report.recovered >= reused.length, 'the overwritten articles are recovered');
    assert.deepEqual(report.unreadableByReason, unreadable);
    assert.equal(report.articles, byArticle.size);
    assert.equal(report.newArticles, byArticle.size);
    assert.equal(report.recovered, [...perSource.values()].reduce((sum, share) => sum + share.recovered, 0));
    assert.equal(report.duplicatesMerged, [...byArticle.values()].reduce((sum, article) => sum + article.paths.size - 1, 0));
    assert.deepEqual(new Map(report.sources.map((share) => [share.sourceId, { articles: share.articles, recovered: share.recovered }])), perSource);
    assert.deepEqual(report.unmappedFolders, {});
    const failed = report.failed.length + report.notListed.failed;
    const unread = Object.values(report.unreadableByReason).reduce((sum, count) => sum + count, 0);
    assert.equal(report.newArticles + report.newVersions + report.unchanged + report.older + report.suspects + failed + unread, report.versionsRead, 'every version counted once');
    for (const field of ['newVersions', 'unchanged', 'duplicatesMerged', 'suspects'] as const) {
      assert.equal(report.sources.reduce((sum, share) => sum + share[field], 0), report[field], field);
    }
  });
});

describe('importDutyMachine: a day folder past FILES_PER_FOLDER', () => {
  // 960 new articles of one day, over four commits: the day folder takes 900, its first overflow
  // folder the rest, whether each batch counts the folder in the store or in what it knows.
  const commits: HistoryCommit[] = Array.from({ length: 4 }, (_, commit) => ({
    time: T1 + commit * HOUR,
    files: Object.fromEntries(
      Array.from({ length: 240 }, (_, index) => {
        const n = commit * 240 + index;
        return [`articles/法广/${2_000_000 + n}.md`, dutyMachineText({ ...rfiA, link: `${rfiA.link}?n=${n}`, title: `${rfiA.title ?? ''} ${n}` })];
      }),
    ),
  }));

  const paths = async (storeBatch: { changes: number; ms: number }): Promise<string[]> => {
    const base = temp.make('newsmirror-import-day-');
    buildHistory(join(base, 'old'), commits);
    await mkdir(join(base, 'archive'));
    const store = openSqliteStore(join(base, 'store.db'));
    const http = createHttpClient();
    const history = openGitHistory(join(base, 'old'), { env: testGitEnv(), accept: (path) => path.endsWith('.md') });
    const tally = openImportTally();
    try {
      const deps: PipelineDeps = {
        http, store, archive: createArchiveWriter(join(base, 'archive'), { syncFiles: false }), clock: { now: () => Date.UTC(2026, 0, 1) },
        logger: createStreamLogger(() => undefined), timeZone: 'Asia/Shanghai',
      };
      const report = await importDutyMachine(deps, history, { sources: SOURCES, folders: { ...DUTYMACHINE_FOLDERS }, tally, storeBatch });
      assert.equal(report.newArticles, 960);
      return (await Promise.all((await store.listArticleIds('rfi')).map(async (id) => (await store.getArticle(id))!.path))).sort();
    } finally {
      await tally.close();
      await history.close();
      await http.close();
      await store.close();
    }
  };

  it('IM31 new articles overflow into a numbered folder, each path once, whatever the store batches', async () => {
    const batched = await paths({ changes: 100, ms: Number.POSITIVE_INFINITY });
    assert.equal(new Set(batched).size, 960);
    const folders = new Map<string, number>();
    for (const path of batched) folders.set(path.slice(0, path.lastIndexOf('/')), (folders.get(path.slice(0, path.lastIndexOf('/'))) ?? 0) + 1);
    assert.deepEqual([...folders.values()].sort((a, b) => b - a), [900, 60]);
    assert.match([...folders.keys()].find((folder) => folders.get(folder) === 60)!, /\/1$/);
    assert.deepEqual(await paths({ changes: 1, ms: 0 }), batched);
  });
});
