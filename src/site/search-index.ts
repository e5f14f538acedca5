/**
 * The static site's search index: the same tokens as the server's index (core/search), with their
 * positions, so that the browser answers a query with the server's substring-exact semantics (every
 * term a phrase of consecutive tokens in the title or in the body, a one-character Chinese term a
 * prefix token) without any server.
 *
 * Layout, chosen so that one query reads little and a new article rewrites little:
 * - documents are numbered oldest first and cut into blocks of BLOCK_SIZE; new articles land in the
 *   last block, so the files of the other blocks keep their bytes and are not rewritten;
 * - inside a block, a token goes to one of the block's shards by a hash of the token, and each shard
 *   is two files: the documents of its tokens (`d`), and their positions (`p`), which only a term of
 *   more than one token (国安法 = 国安 安法, a quoted phrase) needs. A block has as many shards as
 *   keep its files near SHARD_TARGET_BYTES (a power of two, at most MAX_SHARDS): a query loads about
 *   `files × SHARD_TARGET_BYTES` besides its own postings, however large the archive;
 * - a one-character Chinese term is a prefix token (it matches 港 and every 港X bigram): for every
 *   CJK character `c` that starts a token, the entry `c*` lists the documents holding such a token
 *   and the characters that follow `c` in them, so a lone 港 reads one list, and a phrase ending in
 *   港 can find the bigrams it needs.
 *
 * Result snippets come from one text file per article (`textPath`), loaded only for the results shown,
 * and cut by the server's own `highlight`, so the site shows the server's snippets.
 *
 * Every data file is a script that registers its data (`NMS.push({ k, v })`): Chromium refuses
 * `fetch()` from `file://` pages, but loads a `<script src>` next to the page.
 *
 * Encodings (numbers in base 36): a document list is `d.d.d…`, block-local documents as deltas; a
 * position list is `p.p…;p.p…`, one group per document of the token's document list, in that order,
 * each position a delta from the previous one. Title tokens take positions 0…t−1 and body tokens
 * start at t+1, so no phrase spans the two (the server indexes them as separate columns).
 */
import type { ParsedQuery, QueryTerm } from '../core/search/query.js';
import { isCjkChar, tokenizeForIndex } from '../core/search/tokenize.js';

/** BLOCK_SIZE is how many documents share one set of shards. */
export const BLOCK_SIZE = 10_000;
/** SHARD_TARGET_BYTES is the size a block's shard files are aimed at, on average. */
const SHARD_TARGET_BYTES = 16_384;
/** MIN_SHARDS and MAX_SHARDS bound a block's shard count (a power of two). */
const MIN_SHARDS = 8;
const MAX_SHARDS = 4096;
/** META_SIZE is how many documents' titles and times share one file (loaded only for shown hits). */
export const META_SIZE = 64;

/** ShardKind: `d` holds document lists, `p` positions. */
export type ShardKind = 'd' | 'p';

/** shardOf is the shard of an entry (a token, or `c*`) among `count`: FNV-1a of its UTF-16 units. */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** shardPath is the site-relative file of one block's shard of one kind. */
export function shardPath(block: number, kind: ShardKind, shard: number): string {
  return `search/${block}/${kind}${shard}.js`;
}

/** metaPath is the site-relative file of one chunk of document metadata. */
export function metaPath(chunk: number): string {
  return `search/m${chunk}.js`;
}

/**
 * textPath is the site-relative file of one article's plain text, for its result snippet: named by
 * the article's id, so a new article adds one file and changes none, and a page of results loads only
 * the texts it shows.
 */
export function textPath(id: string): string {
  return `search/t/${id.slice(0, 2)}/${id}.js`;
}

/** MANIFEST_PATH is the first file a query loads. */
export const MANIFEST_PATH = 'search/manifest.js';

/** Manifest is what `search/manifest.js` registers. */
export interface Manifest {
  docs: number;
  blocks: number;
  /** Each block's shard count. */
  shards: number[];
  sources: { id: string; name: string }[];
  /** One character per document: its source's index in `sources`, as `String.fromCharCode(48 + index)`. */
  src: string;
}

/** MetaRow is one document's line in a result list: id, source index, title, time, ISO time. */
export type MetaRow = [string, number, string, string, string];

/** SearchData is what one data script registers. */
export interface SearchData {
  k: string;
  v: unknown;
}

/** dataScript writes one data file; `<` is escaped so no `</script>` can ever appear in it. */
export function dataScript(data: SearchData): string {
  return `NMS.push(${JSON.stringify(data).replace(/</g, '\\u003c')});\n`;
}

/** Shard is one file's entries: token (or `c*`) → encoded list. A `c*` document list is followed by `|` and the following characters. */
export type Shard = Record<string, string>;

interface Postings {
  last: number;
  docs: string[];
  positions: string[];
}

/** BlockIndexer collects one block's postings. Documents must be added in increasing number. */
export class BlockIndexer {
  private readonly postings = new Map<string, Postings>();
  private readonly starts = new Map<string, { last: number; docs: string[]; next: Set<string> }>();

  constructor(readonly block: number) {}

  /** add indexes one document's title and plain-text body under its (global) number. */
  add(doc: number, title: string, body: string): void {
    const local = doc - this.block * BLOCK_SIZE;
    const positions = new Map<string, number[]>();
    const put = (tokens: string, offset: number): number => {
      if (tokens === '') return 0;
      const list = tokens.split(' ');
      list.forEach((token, index) => {
        const known = positions.get(token);
        if (known === undefined) positions.set(token, [offset + index]);
        else known.push(offset + index);
      });
      return list.length;
    };
    const titleLength = put(tokenizeForIndex(title), 0);
    put(tokenizeForIndex(body), titleLength + 1);
    for (const [token, list] of positions) {
      let entry = this.postings.get(token);
      if (entry === undefined) {
        entry = { last: 0, docs: [], positions: [] };
        this.postings.set(token, entry);
      }
      entry.docs.push((local - entry.last).toString(36));
      entry.last = local;
      let previous = 0;
      entry.positions.push(
        list
          .map((position) => {
            const delta = position - previous;
            previous = position;
            return delta.toString(36);
          })
          .join('.'),
      );
      const first = String.fromCodePoint(token.codePointAt(0) ?? 0);
      if (!isCjkChar(first)) continue;
      let start = this.starts.get(first);
      if (start === undefined) {
        start = { last: -1, docs: [], next: new Set() };
        this.starts.set(first, start);
      }
      if (start.last !== local) {
        start.docs.push((local - Math.max(start.last, 0)).toString(36));
        start.last = local;
      }
      if (token.length > first.length) start.next.add(token.slice(first.length));
    }
  }

  /** shards returns the block's shards of both kinds, every one of its count (empty ones included), entries sorted. */
  shards(): { count: number; d: Shard[]; p: Shard[] } {
    const entries: [string, string, string | undefined][] = [];
    let bytes = 0;
    for (const token of [...this.postings.keys()].sort()) {
      const entry = this.postings.get(token) as Postings;
      entries.push([token, entry.docs.join('.'), entry.positions.join(';')]);
    }
    for (const char of [...this.starts.keys()].sort()) {
      const start = this.starts.get(char) as { docs: string[]; next: Set<string> };
      entries.push([`${char}*`, `${start.docs.join('.')}|${[...start.next].sort().join('')}`, undefined]);
    }
    for (const [key, docs, positions] of entries) bytes += key.length * 2 + docs.length + (positions?.length ?? 0) + 16;
    let count = MIN_SHARDS;
    while (count < MAX_SHARDS && bytes / (2 * count) > SHARD_TARGET_BYTES) count *= 2;
    const d: Shard[] = Array.from({ length: count }, () => ({}));
    const p: Shard[] = Array.from({ length: count }, () => ({}));
    for (const [key, docs, positions] of entries) {
      const shard = shardOf(key, count);
      (d[shard] as Shard)[key] = docs;
      if (positions !== undefined) (p[shard] as Shard)[key] = positions;
    }
    return { count, d, p };
  }
}

/** ShardLoader returns one shard of the block being searched (cached by the caller). */
export type ShardLoader = (kind: ShardKind, shard: number) => Promise<Shard>;

/** BlockReader is one block to search: its shard count and the loader of its shards. */
export interface BlockReader {
  shards: number;
  load: ShardLoader;
}

function decodeDocs(encoded: string): number[] {
  if (encoded === '') return [];
  let doc = 0;
  return encoded.split('.').map((delta) => (doc += parseInt(delta, 36)));
}

async function docsOf(key: string, block: BlockReader): Promise<{ docs: number[]; rest: string }> {
  const shard = await block.load('d', shardOf(key, block.shards));
  const encoded = Object.hasOwn(shard, key) ? (shard[key] as string) : undefined;
  if (encoded === undefined) return { docs: [], rest: '' };
  const bar = encoded.indexOf('|');
  return bar === -1 ? { docs: decodeDocs(encoded), rest: '' } : { docs: decodeDocs(encoded.slice(0, bar)), rest: encoded.slice(bar + 1) };
}

/** positionsOf reads one token's positions in the documents of `wanted`. */
async function positionsOf(token: string, wanted: ReadonlySet<number>, block: BlockReader): Promise<Map<number, number[]>> {
  const { docs } = await docsOf(token, block);
  const out = new Map<number, number[]>();
  if (docs.length === 0) return out;
  const shard = await block.load('p', shardOf(token, block.shards));
  const groups = (Object.hasOwn(shard, token) ? (shard[token] as string) : '').split(';');
  docs.forEach((doc, index) => {
    if (!wanted.has(doc)) return;
    let position = 0;
    out.set(
      doc,
      (groups[index] ?? '').split('.').map((delta) => (position += parseInt(delta, 36))),
    );
  });
  return out;
}

/**
 * searchBlock returns the block-local documents of one block that match every term of a query, in
 * increasing order, reading only the shards the query's tokens hash to.
 */
export async function searchBlock(query: ParsedQuery, block: BlockReader): Promise<number[]> {
  let result: number[] | undefined;
  for (const term of query.terms) {
    const docs = await matchTerm(term, block);
    result = result === undefined ? docs : intersect(result, docs);
    if (result.length === 0) return result;
  }
  return result ?? [];
}

async function matchTerm(term: QueryTerm, block: BlockReader): Promise<number[]> {
  const lastIndex = term.tokens.length - 1;
  const last = term.tokens[lastIndex] as string;
  if (term.tokens.length === 1) return (await docsOf(term.prefix ? `${last}*` : last, block)).docs;
  const exact = term.prefix ? term.tokens.slice(0, -1) : term.tokens;
  let candidates: number[] | undefined;
  for (const token of exact) {
    const { docs } = await docsOf(token, block);
    candidates = candidates === undefined ? docs : intersect(candidates, docs);
    if (candidates.length === 0) return [];
  }
  let prefixTokens: string[] = [];
  if (term.prefix) {
    const { docs, rest } = await docsOf(`${last}*`, block);
    candidates = intersect(candidates ?? [], docs);
    if (candidates.length === 0) return [];
    // The prefix stands for the lone character and every token that starts with it.
    prefixTokens = [last, ...Array.from(rest, (next) => `${last}${next}`)];
  }
  const wanted = new Set(candidates);
  const lists = await Promise.all(exact.map((token) => positionsOf(token, wanted, block)));
  if (term.prefix) {
    const merged = new Map<number, number[]>();
    for (const token of prefixTokens) {
      for (const [doc, positions] of await positionsOf(token, wanted, block)) merged.set(doc, [...(merged.get(doc) ?? []), ...positions]);
    }
    lists.push(merged);
  }
  const [first, ...rest] = lists;
  const out: number[] = [];
  for (const doc of candidates ?? []) {
    const starts = first?.get(doc) ?? [];
    const sets = rest.map((list) => new Set(list.get(doc) ?? []));
    if (starts.some((start) => sets.every((set, index) => set.has(start + index + 1)))) out.push(doc);
  }
  return out;
}

function intersect(a: number[], b: number[]): number[] {
  const set = new Set(b);
  return a.filter((doc) => set.has(doc));
}
