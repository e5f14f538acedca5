/**
 * The GIN keys of the PostgreSQL search index (src/adapters/search/postgres.ts): one int8 per
 * feature of an article's folded text, within the article's time bucket.
 *
 * Features: every CJK character (one-character queries), every CJK bigram (香港) and trigram
 * (国安法) inside a run, every other word, every pair of adjacent words ("hong kong"), every
 * junction of a CJK run with the piece next to it (港|国 in 香港《国安法》), the longer junctions of
 * two adjacent CJK runs (the last two or three characters of one and the first two or three of the
 * next: 香港|国安法, RUN_JUNCTIONS), and the article's source. A query term of one CJK run of one to
 * three characters, one word, two adjacent words, or a phrase of two CJK runs of one to three
 * characters each (a shape of RUN_JUNCTIONS, or 1|1) is then exactly its keys (a three-character
 * run: its trigram and first bigram; a phrase: its run junction and its 1|1 junction); longer terms
 * and other phrases are their keys plus a check on the row.
 *
 * A key is `(code × 16 + kind × 4) × 2048 + bucket` (a feature's `base` is the part before the
 * bucket). Codes of BMP characters, bigrams and trigrams are their UTF-16 units side by side (exact,
 * at most 48 bits); words, word pairs, junctions, sources and n-grams with astral characters get a 48-bit hash
 * (FNV-1a and a multiplicative twin): a query word shares its key with one of 10^6 other indexed
 * words with a chance of about 1 in 3 × 10^8, which can add a false match, never lose one. Run
 * junctions are hashes of the trigrams' kind, so one may also share a trigram's exact code: the
 * same odds, the same false match at worst.
 *
 * GIN keeps no order, so a key names the posting list of one time bucket, and newest first reads
 * the newest buckets' lists and stops. The bucket is the document key's published second ÷ 2^w
 * modulo 2048, with w by kind: 2^22 s (48.5 days) for bigrams, 2^23 s for characters, 2^24 s
 * (194 days) for words, pairs, junctions and sources, and one bucket for all time for trigrams
 * and run junctions (ALL_TIME). Every bucket of every key is a distinct GIN entry, so rarer kinds get wider buckets
 * (fewer, longer posting lists: a faster build and a smaller entry tree), and the commonest (香港 is
 * in half the articles) the narrowest, so that one bucket's matches stay a few thousand rows. A
 * query always holds a bucketed key (a run's first bigram stands in for its trigrams), and a
 * bucket's document-key range is checked on the row, so the modulo's wrap (centuries) never mixes
 * buckets.
 */
import { splitPieces, type QueryTerm, type TextPiece } from '../../core/search/index.js';
import { SLOTS } from './paging.js';

const BUCKET_MODULO = 2048;

const CHAR = 0;
const BIGRAM = 1;
/** The kind of trigrams and run junctions: rare features, one bucket for all time. */
const TRIGRAM = 2;
const HASHED = 3;

/**
 * RUN_JUNCTIONS are the shapes (characters before | characters after) of the junction keys of two
 * adjacent CJK runs beside 1|1: a phrase of two runs of these lengths is exactly its keys. The
 * shapes with a one-character run (1|2, 2|1, 1|3, 3|1) would cost as many keys again for
 * phrases that are rarely asked, so those keep the row check (D29).
 */
const RUN_JUNCTIONS: readonly (readonly [number, number])[] = [
  [2, 2],
  [2, 3],
  [3, 2],
  [3, 3],
];
/**
 * A bucket width past every document key (2^45 s): a trigram's key is one posting list for all
 * time. Most trigrams are rare, so per-bucket keys made each of their few postings an entry of its
 * own (half the GIN's entries, and entries, not postings, are what its build costs); a query reaches
 * a trigram's buckets through its run's first bigram instead.
 */
const ALL_TIME = 45;
/** Bucket width of each kind, as a power of two of published seconds. */
const WIDTHS = [23, 22, ALL_TIME, 24];

/** Feature is one indexed feature of a text: its key without the bucket, and what a query does with it. */
interface Feature {
  base: number;
  /** A query term needs it: a run's trigrams (its bigram, or its character, when shorter), words and word pairs. */
  defining: boolean;
  pair: boolean;
}

/** TermKeys is a query term as keys: what an article must hold, and whether the keys are the whole match. */
export interface TermKeys {
  bases: number[];
  exact: boolean;
}

/** widthOf is the bucket width of a feature's kind (a power of two of published seconds). */
export function widthOf(base: number): number {
  return WIDTHS[Math.floor(base / 4) % 4] ?? 24;
}

/** bucketDocs is how many document keys a bucket of this width spans. */
export function bucketDocs(width: number): number {
  return SLOTS * 2 ** width;
}

/** bucketOf is the time bucket of a document key at this width. */
export function bucketOf(doc: number, width: number): number {
  return Math.floor(doc / bucketDocs(width));
}

/** keyAt writes a feature's key for the article with this document key. */
export function keyAt(base: number, doc: number): string {
  return keyOf(base, bucketOf(doc, widthOf(base)));
}

/**
 * keyOf writes a feature's key in one bucket of its width as a decimal int8. The key passes 2^53,
 * so it is written from parts below 10^9 (small integers: turning a large double into a string
 * cost 330 ns, BigInt 180 ns, and an article has about 2,000 keys).
 */
export function keyOf(base: number, bucket: number): string {
  const bits = ((bucket % BUCKET_MODULO) + BUCKET_MODULO) % BUCKET_MODULO;
  const p = Math.floor(base / 1e9);
  const low = (base - p * 1e9) * BUCKET_MODULO + bits;
  const carry = Math.floor(low / 1e9);
  const c = low - carry * 1e9;
  const upper = p * BUCKET_MODULO + carry;
  if (upper === 0) return String(c);
  const a = Math.floor(upper / 1e9);
  const b = upper - a * 1e9;
  return a === 0 ? String(b) + nineDigits(c) : String(a) + nineDigits(b) + nineDigits(c);
}

function nineDigits(value: number): string {
  const text = String(value);
  return text.length === 9 ? text : '000000000'.slice(text.length) + text;
}

/**
 * readFeatures collects an article's features from its title and plain body text, and its source
 * (one key, so a source filter is part of the GIN scan).
 */
export function readFeatures(title: string, body: string, sourceId: string): Set<number> {
  const present = new Set<number>([sourceBase(sourceId)]);
  collectFeatures(title, present);
  collectFeatures(body, present);
  return present;
}

/** sourceBase is the feature of an article's source. */
export function sourceBase(sourceId: string): number {
  return hashedBase(`s${sourceId}`);
}

/**
 * collectFeatures is piecesFeatures for indexing, without an object per feature: index() spends
 * most of its time here (about 2,000 features an article).
 */
function collectFeatures(text: string, present: Set<number>): void {
  let previousWord: string | undefined;
  let previous: TextPiece | undefined;
  for (const piece of splitPieces(text)) {
    if (previous !== undefined && (previous.kind === 'cjk' || piece.kind === 'cjk')) {
      present.add(junctionBase(previous, piece));
      if (previous.kind === 'cjk' && piece.kind === 'cjk') for (const base of runJunctionBases(previous.text, piece.text)) present.add(base);
    }
    previous = piece;
    if (piece.kind === 'word') {
      present.add(hashedBase(`w${piece.text}`));
      if (previousWord !== undefined) present.add(hashedBase(`p${previousWord} ${piece.text}`));
      previousWord = piece.text;
      continue;
    }
    previousWord = undefined;
    const run = piece.text;
    if (/[\uD800-\uDFFF]/.test(run)) {
      for (const feature of piecesFeatures([piece])) present.add(feature.base);
      continue;
    }
    for (let i = 0; i < run.length; i++) {
      const a = run.charCodeAt(i);
      present.add((a * 4 + CHAR) * 4);
      if (i + 1 >= run.length) continue;
      const ab = a * 65536 + run.charCodeAt(i + 1);
      present.add((ab * 4 + BIGRAM) * 4);
      if (i + 2 < run.length) present.add(((ab * 65536 + run.charCodeAt(i + 2)) * 4 + TRIGRAM) * 4);
    }
  }
}

/** articleKeys lists the keys of the article with this document key, as an int8[] literal's elements. */
export function articleKeys(features: ReadonlySet<number>, doc: number): string[] {
  const buckets = WIDTHS.map((width) => bucketOf(doc, width));
  const keys: string[] = [];
  for (const base of features) keys.push(keyOf(base, buckets[Math.floor(base / 4) % 4] ?? 0));
  return keys;
}

/** termKeys turns a parsed query term into the features an article must hold. */
export function termKeys(term: QueryTerm): TermKeys {
  const pieces: TextPiece[] = term.kind === 'phrase' ? splitPieces(term.text) : [{ kind: term.kind === 'word' ? 'word' : 'cjk', text: term.text }];
  const runs = runPhraseKeys(pieces);
  if (runs !== undefined) return { bases: runs, exact: true };
  // A run's characters and bigrams are implied by its trigrams, a word pair's words by the pair:
  // the fewest keys that find the term, so a query reads the fewest posting lists.
  const features = piecesFeatures(pieces).filter((feature) => feature.defining);
  const only = pieces[0];
  const pair = pieces.length === 2 && pieces.every((piece) => piece.kind === 'word');
  const bases = [...new Set(features.filter((feature) => feature.pair === pair).map((feature) => feature.base))];
  const exact = pair || (pieces.length === 1 && only !== undefined && (only.kind === 'word' || Array.from(only.text).length <= 3));
  return { bases, exact };
}

/**
 * runPhraseKeys is the keys of a phrase of two CJK runs of one to three characters whose shape has
 * a junction key (1|1 or RUN_JUNCTIONS), or undefined for any other term. The phrase holds where a
 * run ends with its first run and the next run begins with its second (query.ts): exactly the
 * junction key of that shape. Its 1|1 junction, implied by it, is the bucketed key the walk goes by.
 */
function runPhraseKeys(pieces: readonly TextPiece[]): number[] | undefined {
  const [before, after] = pieces;
  if (pieces.length !== 2 || before?.kind !== 'cjk' || after?.kind !== 'cjk') return undefined;
  const k = Array.from(before.text).length;
  const m = Array.from(after.text).length;
  const junction = junctionBase(before, after);
  if (k === 1 && m === 1) return [junction];
  if (!RUN_JUNCTIONS.some(([left, right]) => left === k && right === m)) return undefined;
  return [runJunctionBase(before.text, after.text), junction];
}

/** piecesFeatures lists the features of consecutive pieces (a run's n-grams, words, adjacent word pairs), with repeats. */
function piecesFeatures(pieces: readonly TextPiece[]): Feature[] {
  const features: Feature[] = [];
  let previousWord: string | undefined;
  let previous: TextPiece | undefined;
  for (const piece of pieces) {
    if (previous !== undefined && (previous.kind === 'cjk' || piece.kind === 'cjk')) features.push({ base: junctionBase(previous, piece), defining: true, pair: false });
    previous = piece;
    if (piece.kind === 'word') {
      features.push({ base: hashedBase(`w${piece.text}`), defining: true, pair: false });
      if (previousWord !== undefined) features.push({ base: hashedBase(`p${previousWord} ${piece.text}`), defining: true, pair: true });
      previousWord = piece.text;
      continue;
    }
    previousWord = undefined;
    const chars = Array.from(piece.text);
    const codes = chars.map((char) => char.codePointAt(0) ?? 0);
    const n = codes.length;
    for (let i = 0; i < n; i++) {
      const first = codes[i] ?? 0;
      features.push({ base: (first * 4 + CHAR) * 4, defining: n === 1, pair: false });
      // A longer run's first bigram is its bucketed key: the walk goes by its buckets, its trigrams match.
      if (i + 1 < n) features.push({ base: ngramBase(chars, codes, i, 2), defining: n === 2 || i === 0, pair: false });
      if (i + 2 < n) features.push({ base: ngramBase(chars, codes, i, 3), defining: true, pair: false });
    }
  }
  return features;
}

/**
 * junctionBase is the feature of two adjacent pieces, one of them a CJK run: the run's last (or the
 * next run's first) character, and the word or character on the other side. A phrase across runs
 * (“香港 国安法”) then needs its junction (港|国), which few of the articles holding both runs have;
 * characters, not bigrams, because a phrase's outer runs may go on in the text.
 */
function junctionBase(before: TextPiece, after: TextPiece): number {
  const end = before.kind === 'word' ? before.text : (Array.from(before.text).pop() ?? '');
  const start = after.kind === 'word' ? after.text : String.fromCodePoint(after.text.codePointAt(0) ?? 0);
  return hashedBase(`j${end} ${start}`);
}

/**
 * runJunctionBases lists the run junctions of two adjacent CJK runs: for each shape of
 * RUN_JUNCTIONS that both runs are long enough for, the last characters of one and the first of
 * the other.
 */
function runJunctionBases(before: string, after: string): number[] {
  // Three characters are at most six UTF-16 units: the ends are enough, however long the runs.
  const end = Array.from(before.slice(-6)).slice(-3);
  const start = Array.from(after.slice(0, 6)).slice(0, 3);
  const bases: number[] = [];
  for (const [k, m] of RUN_JUNCTIONS) {
    if (end.length >= k && start.length >= m) bases.push(runJunctionBase(end.slice(-k).join(''), start.slice(0, m).join('')));
  }
  return bases;
}

/** runJunctionBase is the feature of a run ending with `end` next to a run starting with `start`. */
function runJunctionBase(end: string, start: string): number {
  return hashedBase(`r${end} ${start}`, TRIGRAM);
}

/** ngramBase is the base of the bigram or trigram at `start`: exact for BMP characters, hashed otherwise. */
function ngramBase(chars: readonly string[], codes: readonly number[], start: number, length: 2 | 3): number {
  let code = 0;
  for (let k = start; k < start + length; k++) {
    const unit = codes[k] ?? 0;
    if (unit > 0xffff) return hashedBase(`${length === 2 ? 'b' : 't'}${chars.slice(start, start + length).join('')}`);
    code = code * 65536 + unit;
  }
  return (code * 4 + (length === 2 ? BIGRAM : TRIGRAM)) * 4;
}

/** hashedBase is the base of a hashed feature: 48 bits from two 32-bit multiplicative hashes of the tagged text. */
function hashedBase(text: string, kind = HASHED): number {
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  const code = (high >>> 0) * 65536 + ((low >>> 0) & 0xffff);
  return (code * 4 + kind) * 4;
}
