/**
 * The FTS5 syntax of a parsed query. Only the tokens core/search generated reach MATCH, each term
 * one quoted phrase, so nothing the user typed is ever FTS5 syntax.
 */
import type { ParsedQuery, QueryTerm } from '../../core/search/index.js';

/**
 * compileFts5Match writes a parsed query as an FTS5 MATCH expression: every term one phrase of its
 * tokens (with `*` after a prefix term), ANDed, without any column filter.
 *
 * @example
 * compileFts5Match(parseQuery('国安法 "Hong Kong" 港')) // → '"国安 安法" AND "hong kong" AND "港" *'
 */
export function compileFts5Match(query: ParsedQuery): string {
  return query.terms.map(compileFts5Phrase).join(' AND ');
}

/** compileFts5Phrase writes one term as an FTS5 phrase. */
export function compileFts5Phrase(term: QueryTerm): string {
  return `${fts5String(term.tokens.join(' '))}${term.prefix ? ' *' : ''}`;
}

/** fts5String quotes an FTS5 string. Tokens hold only letters, digits and marks, so `"` never occurs; doubling it is defence in depth. */
export function fts5String(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
