/**
 * Search query parsing. The user's text never reaches a search engine: it becomes terms of index
 * tokens (tokenize.ts), which each search adapter compiles to its engine's syntax, so `"`, `*`,
 * `NEAR`, `AND`, `^`, `:` or `(` in a query are plain text (dropped as punctuation, or searched as
 * the words "near" / "and").
 *
 * Semantics:
 * - terms are separated by white space and punctuation; every term must match (AND);
 * - a Chinese term of n ≥ 2 characters is the phrase of its n−1 bigrams, i.e. an exact substring;
 *   a 1-character term is a prefix query on the index tokens (see tokenize.ts), also exact;
 * - other words match whole index words, case-insensitively (Trump finds trump, not trumps);
 * - "a quoted phrase" (ASCII or “curly” quotes) matches its tokens in order; punctuation inside is
 *   ignored, but a break between two CJK runs is kept (“香港 国安法” does not match 香港国安法);
 *   an unbalanced quote runs to the end of the query;
 * - mixed text (G20峰会, 特朗普Trump) splits into its script runs, ANDed.
 */
import { NewsmirrorError } from '../errors.js';
import { cjkTokens, splitPieces, type TextPiece } from './tokenize.js';

/** MAX_QUERY_LENGTH is the longest accepted query, in characters after trimming. */
export const MAX_QUERY_LENGTH = 200;

/** MAX_QUERY_TERMS is the most terms (words, Chinese runs, phrases) one query may have. */
export const MAX_QUERY_TERMS = 16;

/** QueryTerm is one ANDed part of a query. */
export interface QueryTerm {
  /** `cjk`: one Chinese/CJK run; `word`: one other word; `phrase`: a quoted sequence of pieces. */
  kind: 'cjk' | 'word' | 'phrase';
  /** The folded (NFKC, lower-case) text of the term, pieces of a phrase joined by one space. */
  text: string;
  /** Index tokens the term matches, consecutive and in this order; only letters, digits and marks. */
  tokens: string[];
  /** The last token matches any index token that starts with it (a one-character CJK run has no bigram). */
  prefix: boolean;
}

/** ParsedQuery is a validated query: its terms, all of which must match, and what to highlight. */
export interface ParsedQuery {
  terms: QueryTerm[];
  /** Folded pieces to mark in snippets: CJK runs match as substrings, words as whole words. */
  highlights: TextPiece[];
}

const OPEN_QUOTES = new Set(['"', '“', '”', '＂']);
const CLOSE_QUOTE: Record<string, string[]> = { '"': ['"', '＂'], '＂': ['"', '＂'], '“': ['”', '"'], '”': ['”', '"', '“'] };

/**
 * parseQuery validates a user's search text and turns it into terms of index tokens.
 * Throws NewsmirrorError('usage', 'web') for an empty query, one longer than MAX_QUERY_LENGTH,
 * one with more than MAX_QUERY_TERMS terms, or one with nothing searchable (only punctuation or emoji).
 *
 * @example
 * parseQuery('国安法 "Hong Kong"').terms.map((term) => term.tokens) // → [['国安', '安法'], ['hong', 'kong']]
 */
export function parseQuery(q: string): ParsedQuery {
  // Control and format characters are never part of a word; they separate like spaces.
  const text = q.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').trim();
  if (text === '') throw usage('the search query is empty');
  const length = Array.from(text).length;
  if (length > MAX_QUERY_LENGTH) {
    throw usage(`the search query is too long (${length} characters, at most ${MAX_QUERY_LENGTH})`);
  }

  const terms: QueryTerm[] = [];
  const highlights: TextPiece[] = [];
  const seen = new Set<string>();
  const add = (term: QueryTerm, pieces: TextPiece[]): void => {
    const key = `${term.tokens.join(' ')}${term.prefix ? ' *' : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(term);
    for (const piece of pieces) {
      if (!highlights.some((known) => known.kind === piece.kind && known.text === piece.text)) highlights.push(piece);
    }
  };

  for (const chunk of splitQuoted(text)) {
    const pieces = splitPieces(chunk.text);
    if (chunk.quoted && pieces.length > 1) {
      add(phraseTerm(pieces), pieces);
    } else {
      for (const piece of pieces) add(pieceTerm(piece), [piece]);
    }
  }
  if (terms.length === 0) throw usage('the search query has no searchable words (letters, digits or Chinese characters)');
  if (terms.length > MAX_QUERY_TERMS) {
    throw usage(`the search query has too many terms (${terms.length}, at most ${MAX_QUERY_TERMS})`);
  }
  return { terms, highlights };
}

function usage(message: string): NewsmirrorError {
  return new NewsmirrorError('usage', 'web', message);
}

interface Chunk {
  text: string;
  quoted: boolean;
}

/** splitQuoted separates quoted phrases from the rest; an unclosed quote runs to the end. */
function splitQuoted(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (!OPEN_QUOTES.has(char)) {
      plain += char;
      i++;
      continue;
    }
    const closers = CLOSE_QUOTE[char] ?? ['"'];
    let end = i + 1;
    while (end < text.length && !closers.includes(text.charAt(end))) end++;
    if (plain !== '') chunks.push({ text: plain, quoted: false });
    plain = '';
    chunks.push({ text: text.slice(i + 1, end), quoted: true });
    i = end + 1;
  }
  if (plain !== '') chunks.push({ text: plain, quoted: false });
  return chunks;
}

function pieceTerm(piece: TextPiece): QueryTerm {
  if (piece.kind === 'word') return { kind: 'word', text: piece.text, tokens: [piece.text], prefix: false };
  const bigrams = cjkTokens(piece.text, false);
  // A single character has no bigram: prefix-match the tokens that start with it (see tokenize.ts).
  return bigrams.length === 0 ? { kind: 'cjk', text: piece.text, tokens: [piece.text], prefix: true } : { kind: 'cjk', text: piece.text, tokens: bigrams, prefix: false };
}

/**
 * phraseTerm builds one phrase from several pieces. Inside the phrase every CJK run but the last
 * keeps its closing unigram, exactly as the indexed text has it; the last run ends at its last
 * bigram (the text may continue the run), or is a prefix token when it is one character long.
 */
function phraseTerm(pieces: TextPiece[]): QueryTerm {
  const tokens: string[] = [];
  let prefix = false;
  pieces.forEach((piece, index) => {
    const last = index === pieces.length - 1;
    if (piece.kind === 'word') {
      tokens.push(piece.text);
      return;
    }
    const bigrams = cjkTokens(piece.text, !last);
    if (bigrams.length === 0) {
      tokens.push(piece.text);
      prefix = true;
    } else {
      tokens.push(...bigrams);
    }
  });
  return { kind: 'phrase', text: pieces.map((piece) => piece.text).join(' '), tokens, prefix };
}
