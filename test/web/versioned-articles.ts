/**
 * Edited articles for the diff tests: the real successive versions of CDT articles in a corpus's
 * dutymachine/article_versions.jsonl, cleaned as a sync cleans them and stored through the Store API
 * (the first version as a new article, each later one as an edit), one hour apart.
 */
import { readFileSync } from 'node:fs';
import { cleanArticle } from '../../src/core/clean/index.js';
import { articleId, sha256Hex } from '../../src/core/identity/index.js';
import type { Article } from '../../src/core/model/index.js';
import type { Store } from '../../src/core/ports.js';
import { articlePath } from '../../src/core/render/index.js';
import { corpusPath, type Corpus } from '../helpers/corpus.js';

interface VersionRow {
  path: string;
  version: number;
  pubDate: number | null;
  title: string;
  link: string;
  html: string;
}

/** VersionedArticle is one stored article and the number of versions it was given. */
export interface VersionedArticle {
  article: Article;
  versions: number;
}

const HOUR = 3_600_000;

/** storeVersionedArticles stores every article of the corpus's version file with all its versions; returns them, current version last. */
export async function storeVersionedArticles(store: Store, corpus: Corpus): Promise<VersionedArticle[]> {
  const byPath = new Map<string, VersionRow[]>();
  for (const line of readFileSync(corpusPath(corpus, 'dutymachine/article_versions.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as VersionRow;
    byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
  }
  const stored: VersionedArticle[] = [];
  for (const rows of byPath.values()) {
    rows.sort((a, b) => a.version - b.version);
    const first = rows[0] as VersionRow;
    const id = articleId('cdt', first.link);
    const published = first.pubDate ?? Date.UTC(2020, 6, 1);
    let article: Article | undefined;
    for (const [index, row] of rows.entries()) {
      const seen = published + (index + 1) * HOUR;
      article = {
        id,
        sourceId: 'cdt',
        key: first.link,
        url: first.link,
        canonicalUrl: first.link,
        title: row.title,
        bodyHtml: cleanArticle(row.html, { url: row.link, sourceId: 'cdt' }).html,
        published,
        dateMissing: false,
        ...(index > 0 ? { updated: seen } : {}),
        firstSeen: published + HOUR,
        contentHash: sha256Hex(`${row.title}\n${row.html}`),
        version: index + 1,
        path: articlePath('cdt', published, id, 'Asia/Shanghai'),
        method: 'feed',
        authors: [],
        categories: [],
        lastSeen: seen,
      };
      const raw = { articleId: id, version: index + 1, entryJson: JSON.stringify({ title: row.title }), fetchedFrom: 'https://feedx.test/cdt.xml' };
      await store.applyChanges([{ kind: index === 0 ? 'new' : 'edit', article, raw }]);
    }
    if (article !== undefined) stored.push({ article, versions: rows.length });
  }
  return stored;
}
