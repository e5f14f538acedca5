/**
 * Articles for the web tests: real archived articles from a corpus (see corpus.ts), cleaned the way
 * the sync cleans them and shaped as stored Articles.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanArticle } from '../../src/core/clean/index.js';
import { articleId, sha256Hex } from '../../src/core/identity/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { ArticleChange } from '../../src/core/ports.js';
import { articlePath } from '../../src/core/render/index.js';
import { corpusPath, type Corpus } from './corpus.js';
import { png } from './png.js';

/** CORPUS_SOURCES maps the corpus's source names to catalog entries. */
export const CORPUS_SOURCES = [
  { id: 'rfi', name: '法广', corpus: '法广', url: 'https://feedx.test/rfi.xml' },
  { id: 'reuters', name: '路透', corpus: '路透', url: 'https://feedx.test/reuters.xml' },
  { id: 'voa', name: '美国之音', corpus: '美国之音', url: 'https://feedx.test/voa.xml' },
  { id: 'dw', name: '德国之声', corpus: '德国之声', url: 'https://feedx.test/dw.xml' },
  { id: 'cdt', name: '中国数字时代', corpus: '中国数字时代', url: 'https://feedx.test/cdt.xml' },
  { id: 'rfa', name: '自由亚洲电台', corpus: '自由亚洲电台', url: 'https://feedx.test/rfa.xml' },
  { id: 'ft', name: '金融时报', corpus: '金融时报', url: 'https://feedx.test/ft.xml' },
  { id: 'bbc', name: 'BBC', corpus: 'BBC', url: 'https://feedx.test/bbc.xml' },
  { id: 'nyt', name: '纽约时报', corpus: '纽约时报', url: 'https://feedx.test/nyt.xml' },
];

interface CorpusRow {
  source: string;
  pubDate: number | null;
  title: string;
  link: string;
  html: string;
  first_seen?: number | null;
}

/** readCorpusArticles returns up to `perSource` articles of each source of `corpus`, cleaned, as stored Articles. */
export function readCorpusArticles(corpus: Corpus, options: { perSource: number; timeZone?: string }): Article[] {
  const bySource = new Map(CORPUS_SOURCES.map((source) => [source.corpus, source.id]));
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const articles: Article[] = [];
  for (const line of readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as CorpusRow;
    const sourceId = bySource.get(row.source);
    if (sourceId === undefined || (counts.get(sourceId) ?? 0) >= options.perSource || !/^https?:\/\//.test(row.link)) continue;
    const id = articleId(sourceId, row.link);
    if (seen.has(id)) continue;
    seen.add(id);
    counts.set(sourceId, (counts.get(sourceId) ?? 0) + 1);
    const published = row.pubDate ?? Date.UTC(2020, 6, 1);
    articles.push({
      id,
      sourceId,
      key: row.link,
      url: row.link,
      canonicalUrl: row.link,
      title: row.title,
      bodyHtml: cleanArticle(row.html, { url: row.link, sourceId }).html,
      published,
      dateMissing: row.pubDate === null,
      firstSeen: published + 60_000,
      contentHash: sha256Hex(`${row.title}\n${row.html}`),
      version: 1,
      path: articlePath(sourceId, published, id, options.timeZone ?? 'Asia/Shanghai'),
      method: 'feed',
      authors: [],
      categories: [],
      lastSeen: published + 60_000,
    });
  }
  return articles;
}

/** asNewChanges wraps articles as `new` changes for Store.applyChanges. */
export function asNewChanges(articles: Article[]): ArticleChange[] {
  return articles.map((article) => ({
    kind: 'new',
    article,
    raw: { articleId: article.id, version: article.version, entryJson: JSON.stringify({ title: article.title }), fetchedFrom: 'https://feedx.test/' },
  }));
}

/**
 * withPicturedArticle writes a real PNG into `root/media/` (as the image mirror would) and returns the
 * corpus's articles plus one more whose body shows it beside an image that was never mirrored: the
 * browser tests of the reader and of the static site look at the same page.
 */
export async function withPicturedArticle(root: string, corpus: Corpus): Promise<{ articles: Article[]; pictured: Article }> {
  const image = png(640, 300, [70, 110, 160]);
  const sha = sha256Hex(image);
  await mkdir(join(root, 'media', sha.slice(0, 2)), { recursive: true });
  await writeFile(join(root, 'media', sha.slice(0, 2), `${sha}.png`), image);
  const articles = readCorpusArticles(corpus, { perSource: 15 });
  const base = articles.find((article) => article.sourceId === 'bbc') as Article;
  const pictured: Article = {
    ...base,
    id: 'picturepicture22',
    key: `${base.key}#pictured`,
    path: base.path.replace(base.id, 'picturepicture22'),
    title: '香港国安法实施后的第一个月：图文报道',
    bodyHtml: `<p>国家安全法实施一个月以来，香港社会出现了许多变化。</p>\n<figure><img src="../../../../../media/${sha.slice(0, 2)}/${sha}.png" alt="示意图"><figcaption>示意图（镜像图片）</figcaption></figure>\n<p><img src="https://images.example/not-mirrored.jpg" alt="未镜像的图片"></p>\n${base.bodyHtml}`,
    published: base.published + 60_000,
  };
  articles.push(pictured);
  return { articles, pictured };
}
