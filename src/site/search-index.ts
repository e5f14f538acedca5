/**
 * The static site's search index: the same tokens as the server's index (core/search), with their
 * positions, so that the browser answers a query with the server's substring-exact semantics (every
 * term a phrase of consecutive tokens in the title or in the body, a one-character Chinese term a
 * prefix token) without any server.
 *
 * Layout, chosen so that one query reads little however large the archive, and a new article rewrites little:
 * - documents are numbered oldest first and cut into segments that merge as a binary counter does
 *   (`planSegments`): whole units of SEGMENT_UNIT documents make segments of 1, 2, 4… 32 units, the
 *   largest first, and the documents after the last whole unit make a small tail. A query reads each
 *   segment, so O(log n) of them up to 32 units (then one more per 32 units); a new article changes
 *   only the tail, and a tail that fills a unit merges the small segments into one, as a carry does. A segment's folder is named by its range, so
 *   the files of a segment that did not change keep their names and bytes and are not rewritten;
 * - inside a segment, each token's entry (its documents and their positions) goes to one of the
 *   segment's shards by a hash of the token; the segment has as many shards as keep a shard near
 *   SHARD_TARGET_BYTES. An entry longer than OWN_FILE_BYTES gets files of its own instead (its documents
 *   `x<n>`, its positions `x<n>p`), and the shard holds `@n`: a shard stays small, and a query reads the
 *   positions of a frequent token only when a phrase needs them (国安法 = 国安 安法, a quoted phrase);
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
 * Encodings, in the 64 characters of base64url: numbers are little-endian groups of 5 bits, a character
 * per group, 32 added while more groups follow (`encodeNumbers`). A document list (segment-local numbers)
 * is either these numbers as deltas, or `~` and a bitmap of the segment, 6 documents a character,
 * whichever is shorter. A position list is, for each document of the token's list in that order, the
 * count of its positions then the positions as deltas. Title tokens take positions 0…t−1 and body tokens
 * start at t+1, so no phrase spans the two (the server indexes them as separate columns). A small entry
 * is `docs,positions` (a `c*` entry: `docs|following characters`).
 */
import type { ParsedQuery, QueryTerm } from '../core/search/query.js';
import { isCjkChar, tokenizeForIndex } from '../core/search/tokenize.js';

/** SEGMENT_UNIT is the size of the smallest whole segment: segments hold 1, 2, 4, 8… units. */
export const SEGMENT_UNIT = 1000;
/** SHARD_TARGET_BYTES is the size a segment's shard files are aimed at, on average. */
const SHARD_TARGET_BYTES = 4096;
/** OWN_FILE_BYTES: an entry longer than this has files of its own. */
const OWN_FILE_BYTES = 1024;
/** META_SIZE is how many documents' ids and sources share one file (loaded only for shown hits). */
export const META_SIZE = 64;

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT_VALUES = new Map(Array.from(DIGITS, (char, value) => [char.charCodeAt(0), value]));

/** Segment is a range of documents indexed together: `start` (a global number) and `size` documents. */
export interface Segment {
  start: number;
  size: number;
}

/**
 * MAX_SEGMENT_UNITS caps a segment at 32 units: indexing holds a whole segment in memory (measured:
 * 266 MB live at 8,000 documents, so about 1 GB at 32,000, twice that while its files are written).
 * Beyond 32 units the segments grow in number, one more per 32,000 documents, each adding its shards'
 * overhead to a query.
 */
export const MAX_SEGMENT_UNITS = 32;

/**
 * planSegments cuts `docs` documents into segments: full segments of MAX_SEGMENT_UNITS, then the binary
 * digits of the remaining whole units, largest first, then the tail. Adding documents changes only the
 * tail until it fills a unit.
 */
export function planSegments(docs: number): Segment[] {
  const segments: Segment[] = [];
  const units = Math.floor(docs / SEGMENT_UNIT);
  let start = 0;
  const take = (size: number): void => {
    segments.push({ start, size: size * SEGMENT_UNIT });
    start += size * SEGMENT_UNIT;
  };
  for (let full = 0; full < Math.floor(units / MAX_SEGMENT_UNITS); full++) take(MAX_SEGMENT_UNITS);
  for (let size = MAX_SEGMENT_UNITS / 2; size >= 1; size /= 2) if (Math.floor(units / size) % 2 === 1) take(size);
  if (start < docs) segments.push({ start, size: docs - start });
  return segments;
}

/** shardOf is the shard of an entry (a token, or `c*`) among `count`: FNV-1a of its UTF-16 units. */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** segmentFolder is the site-relative folder of one segment, named by its range so that it changes when the range does. */
function segmentFolder(segment: Segment): string {
  return `search/${segment.start}-${segment.size}`;
}

/** shardPath is the site-relative file of one shard of a segment. */
export function shardPath(segment: Segment, shard: number): string {
  return `${segmentFolder(segment)}/${shard}.js`;
}

/** ownPath is the site-relative file of one large entry's documents (`d`) or positions (`p`). */
export function ownPath(segment: Segment, entry: number, kind: 'd' | 'p'): string {
  return `${segmentFolder(segment)}/x${entry}${kind === 'p' ? 'p' : ''}.js`;
}

/** metaPath is the site-relative file of one chunk of documents' ids and sources. */
export function metaPath(chunk: number): string {
  return `search/m${chunk}.js`;
}

/**
 * textPath is the site-relative file of one article's result line: its title, time and plain text,
 * for its result snippet. Named by the article's id, so a new article adds one file and changes none,
 * and a page of results loads only the lines it shows.
 */
export function textPath(id: string): string {
  return `search/t/${id.slice(0, 2)}/${id}.js`;
}

/** SOURCES_PATH holds every document's source, loaded only by a query filtered by source. */
export const SOURCES_PATH = 'search/src.js';

/** MANIFEST_PATH is the first file a query loads. */
export const MANIFEST_PATH = 'search/manifest.js';

/** ManifestSegment is one segment as the manifest lists it: its range and its shard count. */
export interface ManifestSegment extends Segment {
  shards: number;
}

/** Manifest is what `search/manifest.js` registers. */
export interface Manifest {
  docs: number;
  segments: ManifestSegment[];
  sources: { id: string; name: string }[];
}

/** DocumentSources is what SOURCES_PATH registers: one character per document, its source's index in the manifest's `sources` as `String.fromCharCode(48 + index)`. */
export type DocumentSources = string;

/** MetaRow is one document in a chunk of META_SIZE: its id and its source's index. */
export type MetaRow = [string, number];

/** TextEntry is what a text file registers: the article's title, its time as shown, its ISO time, its plain text. */
export type TextEntry = [string, string, string, string];

/** SearchData is what one data script registers. */
export interface SearchData {
  k: string;
  v: unknown;
}

/** dataScript writes one data file; `<` is escaped so no `</script>` can ever appear in it. */
export function dataScript(data: SearchData): string {
  return `NMS.push(${JSON.stringify(data).replace(/</g, '\\u003c')});\n`;
}

/** Shard is one shard file's entries: token (or `c*`) → its small entry, or `@n` for an entry with files of its own. */
export type Shard = Record<string, string>;

/** encodeNumber writes one non-negative integer in DIGITS, 5 bits a character, the last character below 32. */
function encodeNumber(value: number): string {
  if (value < 32) return DIGITS[value] as string;
  let out = '';
  while (value >= 32) {
    out += DIGITS[32 + (value % 32)];
    value = Math.floor(value / 32);
  }
  return out + DIGITS[value];
}

/** encodeNumbers writes non-negative integers one after another (encodeNumber). */
export function encodeNumbers(numbers: Iterable<number>): string {
  let out = '';
  for (const value of numbers) out += encodeNumber(value);
  return out;
}

/** decodeNumbers reads what encodeNumbers wrote. */
export function decodeNumbers(encoded: string): number[] {
  const out: number[] = [];
  let value = 0;
  let scale = 1;
  for (let index = 0; index < encoded.length; index++) {
    const digit = DIGIT_VALUES.get(encoded.charCodeAt(index)) ?? 0;
    if (digit >= 32) {
      value += (digit - 32) * scale;
      scale *= 32;
    } else {
      out.push(value + digit * scale);
      value = 0;
      scale = 1;
    }
  }
  return out;
}

/** encodeDocs writes increasing segment-local documents as deltas or as a bitmap of `size` documents, whichever is shorter. */
export function encodeDocs(docs: readonly number[], size: number): string {
  const bitmapLength = 1 + Math.ceil(size / 6);
  // A delta takes at least a character: a list shorter than the bitmap's characters is never longer as deltas.
  if (docs.length < bitmapLength) {
    const deltas = encodeNumbers(docs.map((doc, index) => doc - (index === 0 ? 0 : (docs[index - 1] as number))));
    if (deltas.length <= bitmapLength) return deltas;
  }
  const bits = new Array<number>(Math.ceil(size / 6)).fill(0);
  for (const doc of docs) bits[Math.floor(doc / 6)] = (bits[Math.floor(doc / 6)] as number) | (1 << doc % 6);
  return `~${bits.map((value) => DIGITS[value]).join('')}`;
}

/** decodeDocs reads what encodeDocs wrote. */
export function decodeDocs(encoded: string): number[] {
  if (!encoded.startsWith('~')) {
    let doc = 0;
    return decodeNumbers(encoded).map((delta) => (doc += delta));
  }
  const docs: number[] = [];
  for (let index = 1; index < encoded.length; index++) {
    const bits = DIGIT_VALUES.get(encoded.charCodeAt(index)) ?? 0;
    for (let bit = 0; bit < 6; bit++) if (bits & (1 << bit)) docs.push((index - 1) * 6 + bit);
  }
  return docs;
}

/**
 * Postings are one token's entry while a segment is indexed, already encoded: a segment of 32,000
 * documents holds about 10⁸ numbers, which take a byte or two each encoded and eight in an array, and
 * most of its millions of tokens occur once. Digits gather in a short tail string (below 13 characters
 * V8 copies a string on `+=` instead of chaining pieces), then move into a byte array that doubles.
 */
class Postings {
  count = 0;
  /** The document being added, and the slot of its position list (SegmentIndexer.add). */
  openDoc = -1;
  openSlot = 0;
  private last = 0;
  private docsBytes: Uint8Array | undefined = undefined;
  private docsLength = 0;
  private docsTail = '';
  private positionsBytes: Uint8Array | undefined = undefined;
  private positionsLength = 0;
  private positionsTail = '';

  /** `start` is the `c*` entry of the token's first character, for a token that starts with a CJK character. */
  constructor(readonly start: PrefixEntry | undefined) {}

  /** add appends one document (above every earlier one) and its positions, increasing. */
  add(doc: number, positions: readonly number[] | undefined): void {
    this.docsTail += encodeNumber(doc - this.last);
    this.last = doc;
    this.count++;
    if (this.docsTail.length >= TAIL_LENGTH) {
      this.docsBytes = appendBytes(this.docsBytes, this.docsLength, this.docsTail);
      this.docsLength += this.docsTail.length;
      this.docsTail = '';
    }
    if (positions === undefined) return;
    let previous = 0;
    for (let index = -1; index < positions.length; index++) {
      const value = index === -1 ? positions.length : (positions[index] as number) - previous;
      if (index >= 0) previous = positions[index] as number;
      this.positionsTail += encodeNumber(value);
      if (this.positionsTail.length >= TAIL_LENGTH) {
        this.positionsBytes = appendBytes(this.positionsBytes, this.positionsLength, this.positionsTail);
        this.positionsLength += this.positionsTail.length;
        this.positionsTail = '';
      }
    }
  }

  /** encoded returns the document list (as encodeDocs would write it for a segment of `size`) and the positions. */
  encoded(size: number): { docs: string; positions: string } {
    const deltas = bytesText(this.docsBytes, this.docsLength) + this.docsTail;
    const positions = bytesText(this.positionsBytes, this.positionsLength) + this.positionsTail;
    // A list shorter than its bitmap's characters is never longer as deltas: decode only when it might be.
    if (this.count < size / 6 && deltas.length <= 1 + Math.ceil(size / 6)) return { docs: deltas, positions };
    let doc = 0;
    return { docs: encodeDocs(decodeNumbers(deltas).map((delta) => (doc += delta)), size), positions };
  }
}

/** PrefixEntry is the `c*` entry of one CJK character while a segment is indexed. */
interface PrefixEntry {
  postings: Postings;
  /** The last document added to `postings`. */
  last: number;
  /** The characters that follow the character in the segment's tokens. */
  next: Set<string>;
}

const TAIL_LENGTH = 8;
const ASCII = new TextDecoder('ascii');

/** appendBytes writes the characters of `text` (DIGITS only) after the first `length` bytes of `bytes`, growing it by doubling. */
function appendBytes(bytes: Uint8Array | undefined, length: number, text: string): Uint8Array {
  let out = bytes ?? new Uint8Array(32);
  if (length + text.length > out.length) {
    const grown = new Uint8Array(Math.max(out.length * 2, length + text.length));
    grown.set(out.subarray(0, length));
    out = grown;
  }
  for (let index = 0; index < text.length; index++) out[length + index] = text.charCodeAt(index);
  return out;
}

function bytesText(bytes: Uint8Array | undefined, length: number): string {
  return bytes === undefined ? '' : ASCII.decode(bytes.subarray(0, length));
}

/** SegmentFile is one file of a segment: its site-relative path and what it registers. */
export interface SegmentFile {
  path: string;
  value: Shard | string;
}

/** SegmentIndexer collects one segment's postings. Documents must be added in increasing number. */
export class SegmentIndexer {
  private readonly postings = new Map<string, Postings>();
  private readonly starts = new Map<string, PrefixEntry>();

  constructor(readonly segment: Segment) {}

  /** add indexes one document's title and plain-text body under its (global) number. */
  add(doc: number, title: string, body: string): void {
    const local = doc - this.segment.start;
    // One map lookup per token: each entry remembers its slot among this document's position lists.
    const touched: Postings[] = [];
    const lists: number[][] = [];
    const put = (tokens: string, offset: number): number => {
      if (tokens === '') return 0;
      let position = offset;
      for (let from = 0; from <= tokens.length; position++) {
        const space = tokens.indexOf(' ', from);
        const end = space === -1 ? tokens.length : space;
        const token = tokens.slice(from, end);
        from = end + 1;
        let entry = this.postings.get(token);
        if (entry === undefined) {
          entry = new Postings(this.startOf(token));
          this.postings.set(token, entry);
        }
        if (entry.openDoc === local) (lists[entry.openSlot] as number[]).push(position);
        else {
          entry.openDoc = local;
          entry.openSlot = lists.length;
          touched.push(entry);
          lists.push([position]);
        }
      }
      return position - offset;
    };
    const titleLength = put(tokenizeForIndex(title), 0);
    put(tokenizeForIndex(body), titleLength + 1);
    touched.forEach((entry, slot) => {
      entry.add(local, lists[slot]);
      const start = entry.start;
      if (start !== undefined && start.last !== local) {
        start.postings.add(local, undefined);
        start.last = local;
      }
    });
  }

  /** startOf returns the `c*` entry of a new token's first character when it is a CJK character, and records the characters after it. */
  private startOf(token: string): PrefixEntry | undefined {
    const first = String.fromCodePoint(token.codePointAt(0) ?? 0);
    if (!isCjkChar(first)) return undefined;
    let start = this.starts.get(first);
    if (start === undefined) {
      start = { postings: new Postings(undefined), last: -1, next: new Set() };
      this.starts.set(first, start);
    }
    if (token.length > first.length) start.next.add(token.slice(first.length));
    return start;
  }

  /** files returns the segment's shard count and files: every shard (empty ones included), then the files of large entries. */
  files(): { shards: number; files: SegmentFile[] } {
    const small: [string, string][] = [];
    const own: [string, string, string | undefined][] = [];
    const keep = (key: string, docs: string, positions: string | undefined): void => {
      const entry = positions === undefined ? docs : `${docs},${positions}`;
      if (entry.length > OWN_FILE_BYTES) own.push([key, docs, positions]);
      else small.push([key, entry]);
    };
    for (const token of [...this.postings.keys()].sort()) {
      const { docs, positions } = (this.postings.get(token) as Postings).encoded(this.segment.size);
      keep(token, docs, positions);
    }
    for (const char of [...this.starts.keys()].sort()) {
      const start = this.starts.get(char) as PrefixEntry;
      keep(`${char}*`, `${start.postings.encoded(this.segment.size).docs}|${[...start.next].sort().join('')}`, undefined);
    }
    let bytes = 0;
    for (const [key, entry] of small) bytes += key.length * 3 + entry.length + 6;
    bytes += own.length * 12;
    let shards = 1;
    while (bytes / shards > SHARD_TARGET_BYTES) shards *= 2;
    const values: Shard[] = Array.from({ length: shards }, () => ({}));
    for (const [key, entry] of small) (values[shardOf(key, shards)] as Shard)[key] = entry;
    const files: SegmentFile[] = [];
    own.forEach(([key, docs, positions], index) => {
      (values[shardOf(key, shards)] as Shard)[key] = `@${index}`;
      files.push({ path: ownPath(this.segment, index, 'd'), value: docs });
      if (positions !== undefined) files.push({ path: ownPath(this.segment, index, 'p'), value: positions });
    });
    return { shards, files: [...values.map((value, shard) => ({ path: shardPath(this.segment, shard), value })), ...files] };
  }
}

/** SegmentReader is one segment to search: its range, its shard count and the loader of its files (cached by the caller). */
export interface SegmentReader {
  segment: ManifestSegment;
  load<T extends Shard | string>(path: string): Promise<T>;
}

interface Entry {
  docs: number[];
  /** The following characters of a `c*` entry. */
  rest: string;
  positions(): Promise<string>;
}

async function entryOf(key: string, reader: SegmentReader): Promise<Entry> {
  const shard = await reader.load<Shard>(shardPath(reader.segment, shardOf(key, reader.segment.shards)));
  const value = Object.hasOwn(shard, key) ? (shard[key] as string) : '';
  if (value.startsWith('@')) {
    const index = Number(value.slice(1));
    const docs = await reader.load<string>(ownPath(reader.segment, index, 'd'));
    const bar = docs.indexOf('|');
    return {
      docs: decodeDocs(bar === -1 ? docs : docs.slice(0, bar)),
      rest: bar === -1 ? '' : docs.slice(bar + 1),
      positions: () => reader.load<string>(ownPath(reader.segment, index, 'p')),
    };
  }
  const split = value.search(/[,|]/);
  if (split === -1) return { docs: decodeDocs(value), rest: '', positions: async () => '' };
  const tail = value.slice(split + 1);
  return value[split] === '|'
    ? { docs: decodeDocs(value.slice(0, split)), rest: tail, positions: async () => '' }
    : { docs: decodeDocs(value.slice(0, split)), rest: '', positions: async () => tail };
}

/** positionsOf reads one token's positions in the documents of `wanted`. */
async function positionsOf(token: string, wanted: ReadonlySet<number>, reader: SegmentReader): Promise<Map<number, number[]>> {
  const entry = await entryOf(token, reader);
  const out = new Map<number, number[]>();
  if (entry.docs.length === 0) return out;
  const numbers = decodeNumbers(await entry.positions());
  let cursor = 0;
  for (const doc of entry.docs) {
    const count = numbers[cursor++] ?? 0;
    if (wanted.has(doc)) {
      const positions: number[] = [];
      let position = 0;
      for (let index = 0; index < count; index++) positions.push((position += numbers[cursor + index] ?? 0));
      out.set(doc, positions);
    }
    cursor += count;
  }
  return out;
}

/**
 * searchSegment returns the segment-local documents of one segment that match every term of a query,
 * in increasing order, reading only the shards (and own files) of the query's tokens.
 */
export async function searchSegment(query: ParsedQuery, reader: SegmentReader): Promise<number[]> {
  // Start loading every shard the query needs at once: the browser loads them in parallel.
  for (const term of query.terms) {
    const keys = term.prefix ? [...term.tokens, `${term.tokens.at(-1) ?? ''}*`] : term.tokens;
    for (const key of keys) void reader.load(shardPath(reader.segment, shardOf(key, reader.segment.shards))).catch(() => undefined);
  }
  const matches = await Promise.all(query.terms.map((term) => matchTerm(term, reader)));
  let result: number[] | undefined;
  for (const docs of matches) result = result === undefined ? docs : intersect(result, docs);
  return result ?? [];
}

async function matchTerm(term: QueryTerm, reader: SegmentReader): Promise<number[]> {
  const lastIndex = term.tokens.length - 1;
  const last = term.tokens[lastIndex] as string;
  if (term.tokens.length === 1) return (await entryOf(term.prefix ? `${last}*` : last, reader)).docs;
  const exact = term.prefix ? term.tokens.slice(0, -1) : term.tokens;
  const entries = await Promise.all(exact.map((token) => entryOf(token, reader)));
  let candidates: number[] | undefined;
  for (const { docs } of entries) candidates = candidates === undefined ? docs : intersect(candidates, docs);
  let prefixTokens: string[] = [];
  if (term.prefix) {
    const { docs, rest } = await entryOf(`${last}*`, reader);
    candidates = intersect(candidates ?? [], docs);
    // The prefix stands for the lone character and every token that starts with it.
    prefixTokens = [last, ...Array.from(rest, (next) => `${last}${next}`)];
  }
  if (candidates === undefined || candidates.length === 0) return [];
  const wanted = new Set(candidates);
  const lists = await Promise.all(exact.map((token) => positionsOf(token, wanted, reader)));
  if (term.prefix) {
    const merged = new Map<number, number[]>();
    for (const list of await Promise.all(prefixTokens.map((token) => positionsOf(token, wanted, reader)))) {
      for (const [doc, positions] of list) merged.set(doc, [...(merged.get(doc) ?? []), ...positions]);
    }
    lists.push(merged);
  }
  const [first, ...rest] = lists;
  const out: number[] = [];
  for (const doc of candidates) {
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
