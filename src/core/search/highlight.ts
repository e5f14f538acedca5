/**
 * Snippets for search results: a window of the plain text around the first match, HTML-escaped,
 * with every match inside the window wrapped in <mark>. Matching mirrors the index: text is folded
 * (NFKC, lower case) character by character, CJK runs match as substrings, other words only as
 * whole words.
 */
import { escapeHtml } from '../html/index.js';
import { LIMITS } from '../model/index.js';
import { isCjkChar, type TextPiece } from './tokenize.js';

/** Folded text with, for each folded code unit, the index of the original code unit it came from. */
interface FoldedText {
  text: string;
  origin: Int32Array;
}

/** Beyond this many characters the text is not searched for matches (bodies rarely get near it). */
const MAX_SCAN = 200_000;

/**
 * highlight returns an HTML snippet of at most about `maxLength` (capped at `LIMITS.snippetChars`) characters of `text`, starting a
 * little before the first match of any of `terms`, escaped, with matches in <mark>; `…` marks a cut.
 * Without a match it is the beginning of the text.
 *
 * @example
 * highlight('美国总统特朗普说', parseQuery('特朗普').highlights, 40) // → '美国总统<mark>特朗普</mark>说'
 */
export function highlight(text: string, terms: readonly TextPiece[], maxLength: number): string {
  const limit = Math.min(LIMITS.snippetChars, Math.max(1, Math.floor(maxLength)));
  const source = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const folded = foldWithOrigin(source);
  const matches = findMatches(folded, source.length, terms);

  let start = 0;
  const first = matches[0];
  if (first !== undefined) {
    const lead = Math.floor(limit / 4);
    start = Math.max(0, first.start - lead);
    // Show the whole window when the match is near the end of the text.
    if (start + limit > text.length) start = Math.max(0, text.length - limit);
    start = snapStart(text, start);
  }
  let end = Math.min(text.length, start + limit);
  end = snapEnd(text, end);

  let html = start > 0 ? '…' : '';
  let at = start;
  for (const match of matches) {
    if (match.end <= at || match.start >= end) continue;
    const from = Math.max(at, match.start);
    const to = Math.min(end, match.end);
    html += escapeHtml(text.slice(at, from)) + '<mark>' + escapeHtml(text.slice(from, to)) + '</mark>';
    at = to;
  }
  html += escapeHtml(text.slice(at, end));
  if (end < text.length) html += '…';
  return html;
}

interface Range {
  start: number;
  end: number;
}

/** findMatches returns the merged, sorted ranges (original indexes) where any term occurs. */
function findMatches(folded: FoldedText, sourceLength: number, terms: readonly TextPiece[]): Range[] {
  const ranges: Range[] = [];
  for (const term of terms) {
    if (term.text === '') continue;
    let from = 0;
    for (;;) {
      const index = folded.text.indexOf(term.text, from);
      if (index < 0) break;
      const after = index + term.text.length;
      from = index + 1;
      if (term.kind === 'word' && !(isBoundary(folded.text, index - 1) && isBoundary(folded.text, after))) continue;
      const start = folded.origin[index] ?? sourceLength;
      const end = after < folded.text.length ? (folded.origin[after] ?? sourceLength) : sourceLength;
      if (end > start) ranges.push({ start, end });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

/** isBoundary: the character at `index` cannot continue a non-CJK word (or there is none). */
function isBoundary(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  let char = text.charAt(index);
  const code = char.charCodeAt(0);
  // Take the whole surrogate pair, whichever half `index` points at.
  if (code >= 0xd800 && code <= 0xdbff) char = text.slice(index, index + 2);
  else if (code >= 0xdc00 && code <= 0xdfff && index > 0) char = text.slice(index - 1, index + 1);
  return !WORD_CHAR.test(char) || isCjkChar(char);
}

/**
 * foldWithOrigin folds each code point on its own (NFKC + lower case) and remembers where every
 * folded unit came from, so matches map back onto the original text. Nearly every text folds unit
 * for unit (Han, kana, hangul, ASCII, CJK punctuation), so that is tried first, into one buffer; the
 * first unit that does not (a surrogate, a ligature) sends the text down the general path. A
 * snippet's fold was most of its cost (about 75 µs for a 1,400-character article).
 */
function foldWithOrigin(text: string): FoldedText {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let out = code;
    if (code < 0x80) {
      if (code >= 0x41 && code <= 0x5a) out = code + 32;
    } else if (!keptAsIs(code)) {
      out = oneUnitFold(code);
      if (out < 0) return foldEachCodePoint(text);
    }
    units[i] = out;
  }
  const origin = new Int32Array(text.length);
  for (let i = 0; i < origin.length; i++) origin[i] = i;
  return { text: UTF16.decode(units), origin };
}

const UTF16 = new TextDecoder('utf-16le');

/** keptAsIs: unified ideographs, hangul syllables and kana fold to themselves. */
function keptAsIs(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0x3041 && code <= 0x3096) || (code >= 0x30a1 && code <= 0x30fa);
}

/** Folds of single BMP code units, learned as they are met: a unit, or -1 when the fold is not one unit. */
const ONE_UNIT_FOLDS = new Map<number, number>();

function oneUnitFold(code: number): number {
  let folded = ONE_UNIT_FOLDS.get(code);
  if (folded === undefined) {
    const out = code >= 0xd800 && code <= 0xdfff ? '' : String.fromCharCode(code).normalize('NFKC').toLowerCase();
    folded = out.length === 1 ? out.charCodeAt(0) : -1;
    ONE_UNIT_FOLDS.set(code, folded);
  }
  return folded;
}

/** foldEachCodePoint is foldWithOrigin for any text: code point by code point, each fold any length. */
function foldEachCodePoint(text: string): FoldedText {
  const parts: string[] = [];
  const origin: number[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    let out: string;
    if (code < 0x80) out = code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : text.charAt(i);
    else if (keptAsIs(code)) out = text.charAt(i);
    else out = text.slice(i, i + width).normalize('NFKC').toLowerCase();
    parts.push(out);
    for (let k = 0; k < out.length; k++) origin.push(i);
    i += width;
  }
  return { text: parts.join(''), origin: Int32Array.from(origin) };
}

function snapStart(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff && index > 0 ? index - 1 : index;
}

function snapEnd(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff && index < text.length ? index + 1 : index;
}
