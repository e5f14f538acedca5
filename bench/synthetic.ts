/**
 * Synthetic archives at scale for the benchmarks (search, export): real corpus articles recombined with
 * a seeded generator, so every run builds the same articles and the same totals.
 */
import { readFileSync } from 'node:fs';
import type { Article } from '../src/core/model/index.js';
import { escapeHtml, htmlToText } from '../src/core/html/index.js';
import { SHARED_CORPUS, corpusPath } from '../test/helpers/corpus.js';

/** CorpusArticle is a real article reduced to what the generator recombines. */
export interface CorpusArticle {
  title: string;
  sourceId: string;
  link: string;
  paragraphs: string[];
}

/** loadCorpusArticles reads the shared corpus's articles; `sourceOf` maps the archive's site folder to a source id. */
export function loadCorpusArticles(sourceOf: (site: string) => string): CorpusArticle[] {
  const articles: CorpusArticle[] = [];
  for (const line of readFileSync(corpusPath(SHARED_CORPUS, 'dutymachine/articles.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { title?: string | null; html?: string | null; link?: string | null; source?: string };
    const paragraphs = htmlToText(row.html ?? '').split('\n').filter((paragraph) => paragraph.trim() !== '');
    if (paragraphs.length === 0) continue;
    articles.push({ title: row.title ?? '', sourceId: sourceOf(row.source ?? ''), link: row.link ?? '', paragraphs });
  }
  return articles;
}

/** random is mulberry32: a small seeded PRNG so every run generates the same articles. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FROM = Date.UTC(2015, 0, 1);
const SPAN = Date.UTC(2025, 0, 1) - FROM;

/**
 * synthesizeArticle builds article `index` of `size`: a corpus article with 15 % of its paragraphs swapped
 * for others of the pool, published in order over ten years with a day of jitter. With `otherSources`,
 * one article in five moves to one of its first nine sources.
 */
export function synthesizeArticle(corpus: CorpusArticle[], pool: string[], index: number, size: number, otherSources?: readonly string[]): Article {
  const next = random(index * 2654435761);
  const base = corpus[Math.floor(next() * corpus.length)] as CorpusArticle;
  const paragraphs = base.paragraphs.map((paragraph) => (next() < 0.15 ? (pool[Math.floor(next() * pool.length)] ?? paragraph) : paragraph));
  const published = FROM + Math.floor((index / size) * SPAN + (next() - 0.5) * 86_400_000);
  const id = `g${index.toString(32).padStart(15, '0')}`;
  const sourceId = otherSources === undefined || next() < 0.8 ? base.sourceId : (otherSources[Math.floor(next() * 9)] ?? 'bbc');
  return {
    id,
    sourceId,
    key: `${base.link}#${id}`,
    url: `${base.link}#${id}`,
    canonicalUrl: `${base.link}#${id}`,
    title: base.title,
    bodyHtml: paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
    published,
    dateMissing: false,
    firstSeen: published,
    contentHash: id,
    version: 1,
    path: `articles/${id}.md`,
    method: 'feed',
    authors: [],
    categories: [],
    lastSeen: published,
  };
}
