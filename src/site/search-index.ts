/**
 * The static site's search index: the same tokens as the server's index (core/search), with their
 * positions, so that the browser answers a query with the server's substring-exact semantics (every
 * term a phrase of consecutive tokens in the title or in the body, a one-character Chinese term a
 * prefix token) without any server.
 *
 * Layout, chosen so that one query reads little and a new article rewrites little:
 * - documents are numbered oldest first and cut into blocks of BLOCK_SIZE; new articles land in the
 *   last block, so the shards of the other blocks keep their bytes and are not rewritten;
 * - inside a block, a token's postings go to the shard of its first character (hashed into
 *   SHARD_COUNT), so a query loads, per block, only the shards of its tokens' first characters, and
 *   a prefix token finds every token that starts with it in one shard.
 *
 * Every data file is a script that registers its data (`NMS.push({ k, v })`): Chromium refuses
 * `fetch()` from `file://` pages, but loads a `<script src>` next to the page.
 *
 * Postings of one token in one block: `doc.pos.pos…;doc.pos…`, numbers in base 36, the document as a
 * delta from the previous one (block-local), each position as a delta from the previous position.
 * Title tokens take positions 0…t−1 and body tokens start at t+1, so no phrase spans the two (the
 * server indexes them as separate columns).
 */
import type { ParsedQuery, QueryTerm } from '../core/search/query.js';
import { tokenizeForIndex } from '../core/search/tokenize.js';

/** BLOCK_SIZE is how many documents share one set of shards. */
export const BLOCK_SIZE = 5000;
/** SHARD_COUNT is how many shards each block's tokens are spread over, by their first character. */
export const SHARD_COUNT = 32;
/** META_SIZE is how many documents' titles and times share one file (loaded only for shown hits). */
export const META_SIZE = 250;

/** shardOf is the shard of a token (or of a prefix): its first code point, hashed. */
export function shardOf(token: string): number {
  return (token.codePointAt(0) ?? 0) % SHARD_COUNT;
}

/** shardPath is the site-relative file of one block's shard. */
export function shardPath(block: number, shard: number): string {
  return `search/b${block}-s${shard}.js`;
}

/** metaPath is the site-relative file of one chunk of document metadata. */
export function metaPath(chunk: number): string {
  return `search/m${chunk}.js`;
}

/** MANIFEST_PATH is the first file a query loads. */
export const MANIFEST_PATH = 'search/manifest.js';

/** Manifest is what `search/manifest.js` registers. */
export interface Manifest {
  docs: number;
  blocks: number;
  sources: { id: string; name: string }[];
  /** One character per document: its source's index in `sources`, as `String.fromCharCode(48 + index)`. */
  src: string;
}

/** MetaRow is one document's line in a result list: id, source index, title, time, ISO time. */
export type MetaRow = [string, number, string, string, string];

/** SearchData is one script of search data: its key and the value it registers. */
export interface SearchData {
  k: string;
  v: unknown;
}

/** dataScript writes one data file; `<` is escaped so no `</script>` can ever appear in it. */
export function dataScript(data: SearchData): string {
  return `NMS.push(${JSON.stringify(data).replace(/</g, '\\u003c')});\n`;
}

/** Shard is one block's tokens of one first character class: token → encoded postings. */
export type Shard = Record<string, string>;

/**
 * BlockIndexer collects one block's postings. Documents must be added in increasing number.
 */
export class BlockIndexer {
  private readonly postings = new Map<string, { last: number; text: string[] }>();

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
        entry = { last: 0, text: [] };
        this.postings.set(token, entry);
      }
      const numbers = [local - entry.last];
      let previous = 0;
      for (const position of list) {
        numbers.push(position - previous);
        previous = position;
      }
      entry.text.push(numbers.map((n) => n.toString(36)).join('.'));
      entry.last = local;
    }
  }

  /** shards returns the block's shards, every one of SHARD_COUNT (an empty one included), tokens sorted. */
  shards(): Shard[] {
    const out: Shard[] = Array.from({ length: SHARD_COUNT }, () => ({}));
    for (const token of [...this.postings.keys()].sort()) {
      (out[shardOf(token)] as Shard)[token] = (this.postings.get(token) as { text: string[] }).text.join(';');
    }
    return out;
  }
}

/** decodePostings reads one token's postings back: block-local document → sorted positions. */
export function decodePostings(encoded: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  let doc = 0;
  for (const part of encoded.split(';')) {
    const numbers = part.split('.').map((n) => parseInt(n, 36));
    doc += numbers[0] ?? 0;
    let position = 0;
    out.set(
      doc,
      numbers.slice(1).map((delta) => (position += delta)),
    );
  }
  return out;
}

/** shardsFor lists the shards a query needs in every block: those of its terms' tokens' first characters. */
export function shardsFor(query: ParsedQuery): number[] {
  const shards = new Set<number>();
  for (const term of query.terms) for (const token of term.tokens) shards.add(shardOf(token));
  return [...shards].sort((a, b) => a - b);
}

/**
 * matchBlock returns the block-local documents of one block matching every term of a query, given the
 * block's shards (at least those shardsFor names), in increasing order.
 */
export function matchBlock(query: ParsedQuery, shards: ReadonlyMap<number, Shard>): number[] {
  let result: number[] | undefined;
  for (const term of query.terms) {
    const docs = matchTerm(term, shards);
    result = result === undefined ? docs : intersect(result, docs);
    if (result.length === 0) return result;
  }
  return result ?? [];
}

function matchTerm(term: QueryTerm, shards: ReadonlyMap<number, Shard>): number[] {
  const lists = term.tokens.map((token, index) => {
    const shard = shards.get(shardOf(token)) ?? {};
    if (!(term.prefix && index === term.tokens.length - 1)) {
      const encoded = Object.hasOwn(shard, token) ? shard[token] : undefined;
      return encoded === undefined ? new Map<number, number[]>() : decodePostings(encoded);
    }
    // A prefix token stands for every token that starts with it.
    const merged = new Map<number, number[]>();
    for (const [candidate, encoded] of Object.entries(shard)) {
      if (!candidate.startsWith(token)) continue;
      for (const [doc, positions] of decodePostings(encoded)) merged.set(doc, [...(merged.get(doc) ?? []), ...positions]);
    }
    return merged;
  });
  const [first, ...rest] = lists;
  if (first === undefined) return [];
  const out: number[] = [];
  for (const [doc, starts] of first) {
    const others = rest.map((list) => list.get(doc));
    if (others.some((positions) => positions === undefined)) continue;
    const sets = (others as number[][]).map((positions) => new Set(positions));
    if (starts.some((start) => sets.every((set, index) => set.has(start + index + 1)))) out.push(doc);
  }
  return out.sort((a, b) => a - b);
}

function intersect(a: number[], b: number[]): number[] {
  const set = new Set(b);
  return a.filter((doc) => set.has(doc));
}
