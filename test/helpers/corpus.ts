/**
 * The one way tests and benchmarks find real data. The shared corpus (3,179 archived articles, 52 real
 * feeds) lives outside the repository: `NEWSMIRROR_CORPUS` when set, else `../shared/corpus` beside the
 * checkout. A small copy with the same layout, `test/fixtures/corpus`, is inside the repository, so a
 * clone alone still runs every corpus test on real data; the shared corpus adds the volume.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** CORPUS_SKIP_PREFIX starts every skip reason of a test that needs the shared corpus. */
export const CORPUS_SKIP_PREFIX = 'needs the shared corpus';

/** Corpus is one copy of the real data, in the layout of the shared corpus (`dutymachine/`, `feeds/`). */
export interface Corpus {
  /** `fixture` (inside the repository, always there) or `shared` (the whole corpus beside the checkout). */
  readonly name: 'fixture' | 'shared';
  /** The corpus folder, absolute. */
  readonly dir: string;
  /** The reason to skip for node:test, or false when its tests run. */
  readonly skip: string | false;
}

function sharedCorpus(env: NodeJS.ProcessEnv): Corpus {
  const fromEnv = env.NEWSMIRROR_CORPUS !== undefined && env.NEWSMIRROR_CORPUS !== '';
  const dir = fromEnv ? resolve(env.NEWSMIRROR_CORPUS as string) : resolve(REPO, '../shared/corpus');
  if (existsSync(join(dir, 'dutymachine/articles.jsonl')) || env.NEWSMIRROR_REQUIRE_CORPUS === '1') return { name: 'shared', dir, skip: false };
  const where = fromEnv ? `NEWSMIRROR_CORPUS=${dir}` : '../shared/corpus';
  return { name: 'shared', dir, skip: `${CORPUS_SKIP_PREFIX}: none at ${where}; set NEWSMIRROR_CORPUS=/path/to/shared/corpus` };
}

/** SHARED_CORPUS is the whole corpus; its tests are skipped when it is missing, unless NEWSMIRROR_REQUIRE_CORPUS=1. */
export const SHARED_CORPUS: Corpus = sharedCorpus(process.env);

/** FIXTURE_CORPUS is the few real articles and feeds kept in the repository (see its README). */
export const FIXTURE_CORPUS: Corpus = { name: 'fixture', dir: join(REPO, 'test/fixtures/corpus'), skip: false };

/** CORPORA lists both copies, for tests that check the same behaviour on each. */
export const CORPORA: readonly Corpus[] = [FIXTURE_CORPUS, SHARED_CORPUS];

/** SEED_FILE is the seed article in the original archive format (a copy kept in the repository). */
export const SEED_FILE = join(REPO, 'test/fixtures/seed/rfi-article.md');

/**
 * corpusPath resolves a file of a corpus. A missing shared corpus is an error here, so a test that
 * runs under NEWSMIRROR_REQUIRE_CORPUS=1 without it fails with a message saying what to do.
 */
export function corpusPath(corpus: Corpus, relative: string): string {
  const path = join(corpus.dir, relative);
  if (!existsSync(path)) {
    throw new Error(`corpus: ${path} not found; set NEWSMIRROR_CORPUS to the shared corpus folder (the one holding dutymachine/ and feeds/)`);
  }
  return path;
}

/** CorpusRow is one archived article of corpus/dutymachine/articles.jsonl. */
export interface CorpusRow {
  source: string;
  path: string;
  pubDate: number | null;
  title: string;
  link: string;
  html: string;
  flags: string[];
}

const cached = new Map<string, CorpusRow[]>();

/** loadCorpusRows reads every row of a corpus's articles.jsonl once per process. */
export function loadCorpusRows(corpus: Corpus): CorpusRow[] {
  let rows = cached.get(corpus.dir);
  if (rows === undefined) {
    rows = readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as CorpusRow);
    cached.set(corpus.dir, rows);
  }
  return rows;
}

/** SOURCE_IDS maps the original archive's folder names to our stable source ids. */
export const SOURCE_IDS: Record<string, string> = {
  法广: 'rfi',
  路透: 'reuters',
  美国之音: 'voa',
  德国之声: 'dw',
  中国数字时代: 'cdt',
  金融时报: 'ft',
  自由亚洲电台: 'rfa',
  BBC: 'bbc',
  纽约时报: 'nytimes',
};

/** FeedItem is what buildRss writes for one item; undefined fields are left out, as broken feeds do. */
export interface FeedItem {
  title?: string;
  link?: string;
  guid?: string;
  pubDate?: number;
  html?: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** buildRss renders a feedx-like RSS 2.0 document (full text in `description`, as feedx sends it). */
export function buildRss(channel: { title: string; link: string }, items: FeedItem[]): string {
  const body = items
    .map((item) => {
      const parts = ['<item>'];
      if (item.title !== undefined) parts.push(`<title>${escapeXml(item.title)}</title>`);
      if (item.link !== undefined) parts.push(`<link>${escapeXml(item.link)}</link>`);
      if (item.guid !== undefined) parts.push(`<guid isPermaLink="false">${escapeXml(item.guid)}</guid>`);
      if (item.pubDate !== undefined) parts.push(`<pubDate>${new Date(item.pubDate).toUTCString()}</pubDate>`);
      if (item.html !== undefined) parts.push(`<description>${cdata(item.html)}</description>`);
      parts.push('</item>');
      return parts.join('');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${escapeXml(channel.title)}</title><link>${escapeXml(channel.link)}</link><description>test</description>\n${body}\n</channel></rss>\n`;
}

/** rowToItem turns a corpus row into a feed item (no date when the archive had none). */
export function rowToItem(row: CorpusRow): FeedItem {
  return { title: row.title, link: row.link, pubDate: row.pubDate ?? undefined, html: row.html };
}
