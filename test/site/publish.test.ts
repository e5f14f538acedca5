/**
 * publishConfiguredSite against real bare remotes: the exported site committed to `site.branch` of
 * every remote, incrementally, never forced (a remote that moved on is merged), the archive's own
 * repository and branch untouched, and credentials of a failing remote never shown.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig, resolveConfigPaths, type Config } from '../../src/config/index.js';
import { isNewsmirrorError } from '../../src/core/errors.js';
import type { Article } from '../../src/core/model/index.js';
import { openReaderContext, type ReaderContext } from '../../src/main/context.js';
import { publishConfiguredSite } from '../../src/main/publish.js';
import { TEST_GIT_ENV, cloneRepo, closedPort, commitFiles, createBareRemote, createTempDirs, filesAt, gitSync, remoteHead, writeFiles } from '../helpers/git.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

const dirs = createTempDirs();
const ENV = { GIT_CONFIG_GLOBAL: TEST_GIT_ENV.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' };
const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };

let root: string;
let first: string;
let second: string;
let articles: Article[];
let context: ReaderContext;

function configOf(extra: string): Config {
  const sources = CORPUS_SOURCES.slice(0, 2)
    .map((source) => `  - id: ${source.id}\n    name: ${source.name}\n    url: ${source.url}\n`)
    .join('');
  const parsed = parseConfig(`archive: ./archive\ndatabase: ./data/newsmirror.db\ntimezone: Asia/Shanghai\nsources:\n${sources}${extra}`);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return resolveConfigPaths(parsed.config, join(root, 'newsmirror.yaml'));
}

before(async () => {
  root = dirs.make('newsmirror-sitepub-');
  first = createBareRemote(dirs);
  second = createBareRemote(dirs);
  // The archive's own repository, with a commit on main that the site's publish must leave alone.
  writeFiles(join(root, 'archive'), { 'README.md': '# archive\n' });
  gitSync(join(root, 'archive'), ['init', '--quiet', '-b', 'main']);
  commitFiles(join(root, 'archive'), {});
  const config = configOf(`remotes:\n  - name: first\n    url: ${first}\n  - name: second\n    url: ${second}\nsite:\n  branch: gh-pages\n  dir: ./public\n`);
  context = await openReaderContext(config, { logger: SILENT, clock: { now: () => Date.parse('2026-01-01T00:00:00Z') } });
  articles = readCorpusArticles(FIXTURE_CORPUS, { perSource: 5 }).filter((article) => article.sourceId === 'rfi' || article.sourceId === 'reuters');
  await context.store.applyChanges(asNewChanges(articles));
});

after(async () => {
  await context?.close();
  dirs.cleanup();
});

describe('publish: the static site to site.branch', () => {
  it('SITE-PUB-01 commits the exported site to gh-pages of every remote; the archive repository and main stay as they were', async () => {
    const archiveHead = gitSync(join(root, 'archive'), ['rev-parse', 'HEAD']);
    const result = await publishConfiguredSite(context, { env: ENV });
    assert.ok(result !== undefined);
    assert.equal(result.exported.articles, articles.length);
    assert.equal(result.published.committed, true);
    assert.deepEqual(
      result.published.pushes.map((push) => [push.remote, push.ok]),
      [
        ['first', true],
        ['second', true],
      ],
    );
    for (const remote of [first, second]) {
      assert.equal(remoteHead(remote, 'gh-pages'), result.published.commit);
      assert.equal(remoteHead(remote, 'main'), undefined, 'the site never goes to main');
      const files = filesAt(remote, 'gh-pages');
      assert.ok(files.includes('index.html') && files.includes('search.html') && files.includes('hant/index.html'));
      assert.ok(!files.some((file) => file.includes('.tmp-')));
    }
    assert.equal(gitSync(join(root, 'archive'), ['rev-parse', 'HEAD']), archiveHead);
    assert.equal(gitSync(join(root, 'archive'), ['status', '--porcelain']), '');
    assert.ok(existsSync(join(root, 'public', '.git')), 'the site is its own repository');
  });

  it('SITE-PUB-02 nothing new commits nothing; a new article is one commit; a remote that moved on is merged, never overwritten', async () => {
    const again = await publishConfiguredSite(context, { env: ENV });
    assert.equal(again?.published.committed, false);
    assert.ok(again?.published.pushes.every((push) => push.ok && push.upToDate === true));

    // Another machine added a CNAME to the first remote's gh-pages.
    const clone = cloneRepo(dirs, first);
    gitSync(clone, ['checkout', '--quiet', 'gh-pages']);
    const theirs = commitFiles(clone, { CNAME: 'news.example\n' }, 'pages: custom domain');
    gitSync(clone, ['push', '--quiet', 'origin', 'gh-pages']);

    const base = articles[0] as Article;
    const added: Article = { ...base, id: 'sitepublish22222', key: `${base.key}#pub`, path: base.path.replace(base.id, 'sitepublish22222'), published: base.published + 1000 };
    await context.store.applyChanges(asNewChanges([added]));
    const result = await publishConfiguredSite(context, { env: ENV });
    assert.equal(result?.published.committed, true);
    assert.ok(result !== undefined && result.exported.written > 0 && result.exported.written < result.exported.files, `written ${result?.exported.written} of ${result?.exported.files}`);
    const [one, two] = result.published.pushes;
    assert.equal(one?.ok, true);
    assert.equal(one?.merged, true);
    assert.equal(two?.ok, true);
    for (const remote of [first, second]) {
      const head = remoteHead(remote, 'gh-pages') as string;
      gitSync(remote, ['merge-base', '--is-ancestor', theirs, head]);
      assert.ok(filesAt(remote, head).includes('CNAME'), 'the other machine\'s file is kept');
      assert.ok(filesAt(remote, head).includes('articles/si/sitepublish22222.html'));
    }
  });

  it('SITE-PUB-03 a remote that fails is reported with its credentials blanked; the others still get the site', async () => {
    const port = await closedPort();
    const config = configOf(`remotes:\n  - name: first\n    url: ${first}\n  - name: broken\n    url: http://bot:s3cretTOKEN@127.0.0.1:${port}/site.git\nsite:\n  branch: gh-pages\n  dir: ./public\n`);
    const broken = await openReaderContext(config, { logger: SILENT, clock: context.clock });
    try {
      const result = await publishConfiguredSite(broken, { env: ENV });
      const push = result?.published.pushes.find((entry) => entry.remote === 'broken');
      assert.equal(push?.ok, false);
      assert.doesNotMatch(JSON.stringify(result), /s3cretTOKEN/);
      assert.equal(result?.published.pushes.find((entry) => entry.remote === 'first')?.ok, true);
    } finally {
      await broken.close();
    }
  });

  it('SITE-PUB-04 no site.branch publishes nothing; a site folder inside the archive is refused', async () => {
    const none = await openReaderContext(configOf(''), { logger: SILENT });
    try {
      assert.equal(await publishConfiguredSite(none, { env: ENV }), undefined);
    } finally {
      await none.close();
    }
    const inside = await openReaderContext(configOf('site:\n  branch: gh-pages\n  dir: ./archive/site\n'), { logger: SILENT });
    try {
      await assert.rejects(publishConfiguredSite(inside, { env: ENV }), (error: unknown) => isNewsmirrorError(error) && error.code === 'config-invalid');
    } finally {
      await inside.close();
    }
    assert.equal(parseConfig('site:\n  branch: main\n').ok, false, 'the site may not take the archive\'s branch');
  });
});
