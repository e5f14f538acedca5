/**
 * Index tokens for Chinese (and other CJK) full-text search with substring semantics.
 *
 * Word segmenters split names (Intl.Segmenter cuts 特朗普 into single characters) and SQLite's
 * trigram tokenizer cannot find 2-character words, so a run of CJK characters is indexed as its
 * overlapping character bigrams: 拉夫罗夫 → 拉夫 夫罗 罗夫. Any substring of n ≥ 2 characters is
 * then exactly the phrase of its n−1 bigrams.
 *
 * Every CJK run also ends with its last character as a unigram token (香港 → 香港 港). That gives:
 * - 1-character queries: every occurrence of a character is either the first character of a bigram
 *   or the last character of a run, so the prefix query `"港" *` finds every article containing 港;
 * - no false phrase across a run boundary: in 国安，安法 the tokens are 国安 安 安法 法, so the
 *   phrase 国安 安法 (国安法) does not match text that never contains 国安法.
 *
 * Latin, digits and other scripts' words are whole lower-cased tokens. Text is NFKC-normalised
 * first, so full-width ＡＢＣ１２３ and half-width katakana match their ordinary forms.
 *
 * Simplified and traditional Chinese are NOT folded here: 国 and 國 are different tokens. The web
 * layer's 简/繁 toggle converts the displayed text; a search for one form finds that form only.
 */

/** CJK_CLASS is the set of characters indexed as bigrams: Han (all extensions), kana, hangul, bopomofo, ー. */
const CJK_CLASS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\u30FC`;
const CJK_CHAR = new RegExp(`^[${CJK_CLASS}]$`, 'v');
/** Letters, digits and marks of every other script make words. */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

const SEPARATOR = 0;
const CJK = 1;
const WORD = 2;

let bmpClasses: Uint8Array | undefined;

/** classOf classifies one code point; the BMP goes through a table built once from the same regexes. */
function classOf(codePoint: number): number {
  if (codePoint <= 0xffff) {
    bmpClasses ??= buildBmpClasses();
    return bmpClasses[codePoint] ?? SEPARATOR;
  }
  return classifyChar(String.fromCodePoint(codePoint));
}

function classifyChar(char: string): number {
  if (CJK_CHAR.test(char)) return CJK;
  return WORD_CHAR.test(char) ? WORD : SEPARATOR;
}

function buildBmpClasses(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code <= 0xffff; code++) {
    // Lone surrogates are separators; pairs are classified as whole code points.
    if (code >= 0xd800 && code <= 0xdfff) continue;
    table[code] = classifyChar(String.fromCharCode(code));
  }
  return table;
}

/**
 * scanPieces walks folded text and reports each CJK run and each word by its code-unit range,
 * with, for CJK runs, the start offset of every character (needed when a run has astral characters).
 */
function scanPieces(text: string, onWord: (start: number, end: number) => void, onCjk: (starts: number[], end: number) => void): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.codePointAt(i) ?? 0;
    const kind = classOf(code);
    const width = code > 0xffff ? 2 : 1;
    if (kind === SEPARATOR) {
      i += width;
      continue;
    }
    const starts: number[] = [];
    let j = i;
    while (j < n) {
      const next = text.codePointAt(j) ?? 0;
      if (classOf(next) !== kind) break;
      if (kind === CJK) starts.push(j);
      j += next > 0xffff ? 2 : 1;
    }
    if (kind === WORD) onWord(i, j);
    else onCjk(starts, j);
    i = j;
  }
}

/** TextPiece is one unit of normalised text: a CJK run or a word. */
export interface TextPiece {
  kind: 'cjk' | 'word';
  /** NFKC-normalised, lower-cased text of the piece. */
  text: string;
}

/** foldText normalises text the way the index sees it: NFKC, then lower case. */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** splitPieces cuts text into CJK runs and words, dropping punctuation, symbols, emoji and spaces. */
export function splitPieces(text: string): TextPiece[] {
  const folded = foldText(text);
  const pieces: TextPiece[] = [];
  scanPieces(
    folded,
    (start, end) => pieces.push({ kind: 'word', text: folded.slice(start, end) }),
    (starts, end) => pieces.push({ kind: 'cjk', text: folded.slice(starts[0], end) }),
  );
  return pieces;
}

/** isCjkChar tells whether one (folded) character is indexed as part of a CJK run. */
export function isCjkChar(char: string): boolean {
  return classOf(char.codePointAt(0) ?? 0) === CJK;
}

/**
 * cjkTokens returns the bigrams of one CJK run, followed by its last character as a unigram
 * unless `withUnigram` is false. Characters outside the BMP count as one character.
 */
export function cjkTokens(run: string, withUnigram = true): string[] {
  const chars = Array.from(run);
  const tokens: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
  const last = chars[chars.length - 1];
  if (withUnigram && last !== undefined) tokens.push(last);
  return tokens;
}

/**
 * tokenizeForIndex turns text into the space-separated token string the full-text index stores:
 * CJK runs as overlapping bigrams plus a closing unigram, other words lower-cased, punctuation dropped.
 *
 * @example
 * tokenizeForIndex('特朗普说：Ｇ20峰会') // → '特朗 朗普 普说 说 g20 峰会 会'
 */
export function tokenizeForIndex(text: string): string {
  const folded = foldText(text);
  if (!/[\uD800-\uDFFF]/.test(folded)) return tokenizeBmp(folded);
  const parts: string[] = [];
  scanPieces(
    folded,
    (start, end) => parts.push(folded.slice(start, end)),
    (starts, end) => {
      for (let k = 0; k + 1 < starts.length; k++) parts.push(folded.slice(starts[k], starts[k + 2] ?? end));
      parts.push(folded.slice(starts[starts.length - 1], end));
    },
  );
  return parts.join(' ');
}

/**
 * tokenizeBmp is tokenizeForIndex for text without astral characters: one table lookup per code
 * unit, tokens written as UTF-16 code units into one buffer (allocating millions of two-character
 * strings made indexing several times slower).
 */
function tokenizeBmp(text: string): string {
  bmpClasses ??= buildBmpClasses();
  const table = bmpClasses;
  const n = text.length;
  // Worst case: every character of a CJK run writes a bigram and a space (3 units), plus the unigram.
  const out = new Uint16Array(n * 3 + 2);
  let o = 0;
  let i = 0;
  while (i < n) {
    const kind = table[text.charCodeAt(i)];
    if (kind === SEPARATOR) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && table[text.charCodeAt(j)] === kind) j++;
    if (o > 0) out[o++] = 0x20;
    if (kind === WORD) {
      for (let k = i; k < j; k++) out[o++] = text.charCodeAt(k);
    } else {
      for (let k = i; k + 1 < j; k++) {
        out[o++] = text.charCodeAt(k);
        out[o++] = text.charCodeAt(k + 1);
        out[o++] = 0x20;
      }
      out[o++] = text.charCodeAt(j - 1);
    }
    i = j;
  }
  return UTF16.decode(out.subarray(0, o));
}

const UTF16 = new TextDecoder('utf-16le');
