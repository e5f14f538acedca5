/** `newsmirror export-site` run in-process against a real config, store and output folder. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { isNewsmirrorError } from '../../src/core/errors.js';
import { exportEpubCommand } from '../../src/cli/commands/export-epub.js';
import { exportSiteCommand } from '../../src/cli/commands/export-site.js';
import type { CommandArgs, CommandIO } from '../../src/cli/io.js';
import type { Article } from '../../src/core/model/index.js';
import { CORPUS_SOURCES, asNewChanges, readCorpusArticles } from '../helpers/web-articles.js';
import { FIXTURE_CORPUS } from '../helpers/corpus.js';

let root: string;
let configFile: string;
let articles: Article[];

function capture(): { io: CommandIO; out: () => string } {
  let stdout = '';
  return { io: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, env: {}, cwd: root }, out: () => stdout };
}

function args(positionals: string[], flags: CommandArgs['flags'] = {}, sources: string[] = []): CommandArgs {
  return { config: configFile, sources, positionals, flags };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-sitecli-'));
  configFile = join(root, 'newsmirror.yaml');
  const sources = CORPUS_SOURCES.slice(0, 3)
    .map((source) => `  - id: ${source.id}\n    name: ${source.name}\n    url: ${source.url}\n`)
    .join('');
  await writeFile(configFile, `archive: ./archive\ndatabase: ./data/newsmirror.db\ntimezone: Asia/Shanghai\nsources:\n${sources}`);
  articles = readCorpusArticles(FIXTURE_CORPUS, { perSource: 10 }).filter((article) => CORPUS_SOURCES.slice(0, 3).some((source) => source.id === article.sourceId));
  const store = openSqliteStore(join(root, 'data', 'newsmirror.db'));
  await store.applyChanges(asNewChanges(articles));
  await store.close();
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('export-site command', () => {
  it('SITE-CLI-01 writes the site into DIR (relative to the working folder), then reports nothing written the second time', async () => {
    const first = capture();
    assert.equal(await exportSiteCommand.run(args(['public']), first.io), 0);
    const [, count, files, written] = /^export-site: (\d+) article\(s\), (\d+) file\(s\), (\d+) written, 0 unchanged, 0 deleted\n$/.exec(first.out()) ?? [];
    assert.equal(Number(count), articles.length);
    assert.equal(written, files);
    assert.match(await readFile(join(root, 'public', 'search.html'), 'utf8'), /assets\/search\.js/);
    assert.ok((await readFile(join(root, 'public', 'assets', 'search.js'), 'utf8')).includes('NMS'), 'the search script is bundled');
    const second = capture();
    assert.equal(await exportSiteCommand.run(args(['public']), second.io), 0);
    assert.match(second.out(), new RegExp(`, ${files} file\\(s\\), 0 written, ${files} unchanged, 0 deleted\\n$`));
  });

  it('SITE-CLI-02 --source and --from/--to choose the articles', async () => {
    const source = articles[0]?.sourceId as string;
    const io = capture();
    assert.equal(await exportSiteCommand.run(args(['one'], { from: '2000-01-01', to: '2100-01-01' }, [source]), io.io), 0);
    const expected = articles.filter((article) => article.sourceId === source).length;
    assert.match(io.out(), new RegExp(`^export-site: ${expected} article\\(s\\)`));
    assert.deepEqual(await readdir(join(root, 'one', 'sources')), [source]);
  });

  it('SITE-CLI-05 a narrower export deletes the pages it no longer produces, and no file it did not write', async () => {
    await writeFile(join(root, 'public', 'CNAME'), 'news.example\n');
    const source = articles[0]?.sourceId as string;
    const other = articles.find((article) => article.sourceId !== source) as Article;
    const narrow = capture();
    assert.equal(await exportSiteCommand.run(args(['public'], {}, [source]), narrow.io), 0);
    const deleted = Number(/, (\d+) deleted/.exec(narrow.out())?.[1]);
    assert.ok(deleted > 0, narrow.out());
    await assert.rejects(readFile(join(root, 'public', 'articles', other.id.slice(0, 2), `${other.id}.html`)), /ENOENT/);
    assert.deepEqual(await readdir(join(root, 'public', 'sources')), [source], 'the other sources\' folders are gone');
    assert.equal(await readFile(join(root, 'public', 'CNAME'), 'utf8'), 'news.example\n');
    // The whole export deletes only the narrow export's index segments, whose ranges it replaces.
    const segments = (await readdir(join(root, 'public', 'search'))).filter((name) => /^\d+-\d+$/.test(name));
    const segmentFiles = (await Promise.all(segments.map(async (name) => (await readdir(join(root, 'public', 'search', name))).length))).reduce((sum, count) => sum + count, 0);
    assert.ok(segmentFiles > 0);
    const whole = capture();
    assert.equal(await exportSiteCommand.run(args(['public']), whole.io), 0);
    assert.match(whole.out(), new RegExp(`, ${segmentFiles} deleted\\n$`));
    assert.ok((await readFile(join(root, 'public', 'articles', other.id.slice(0, 2), `${other.id}.html`), 'utf8')).includes('<html'));
  });

  it('SITE-CLI-03 no folder, an unknown source or a reversed range are usage errors', async () => {
    const usage = (error: unknown): boolean => isNewsmirrorError(error) && error.code === 'usage';
    await assert.rejects(exportSiteCommand.run(args([]), capture().io), usage);
    await assert.rejects(exportSiteCommand.run(args(['x'], {}, ['nope']), capture().io), usage);
    await assert.rejects(exportSiteCommand.run(args(['x'], { from: '2020-02-01', to: '2020-01-01' }), capture().io), usage);
  });

  it('SITE-CLI-04 export-epub writes the book to FILE (relative to the working folder) and reports its chapters', async () => {
    const io = capture();
    assert.equal(await exportEpubCommand.run(args(['books/all.epub']), io.io), 0);
    assert.match(io.out(), new RegExp(`^export-epub: ${articles.length} article\\(s\\) in \\d+ chapter\\(s\\), 0 image\\(s\\)\\n$`));
    const book = await readFile(join(root, 'books', 'all.epub'));
    assert.equal(book.toString('latin1', 30, 58), 'mimetypeapplication/epub+zip');
    assert.deepEqual((await readdir(join(root, 'books'))).sort(), ['all.epub'], 'no temporary file is left');
    const usage = (error: unknown): boolean => isNewsmirrorError(error) && error.code === 'usage';
    await assert.rejects(exportEpubCommand.run(args([]), capture().io), usage);
    await assert.rejects(exportEpubCommand.run(args(['x.epub'], { from: '2100-01-01' }), capture().io), usage);
    assert.deepEqual((await readdir(join(root))).filter((name) => name.startsWith('x.epub')), [], 'a refused book leaves no file');
  });
});
