import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NewsmirrorError } from '../errors.js';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQuery } from './query.js';

/** Everything parseQuery may produce: quoted strings of our tokens, an optional prefix star, ANDed. */
const SAFE_MATCH = /^"[^"\s]+(?: [^"\s]+)*"(?: \*)?(?: AND "[^"\s]+(?: [^"\s]+)*"(?: \*)?)*$/u;
/** The only ASCII in our tokens is lower-case letters, digits and the spaces between tokens (FTS5's ascii tokenizer splits on the rest). */
const TOKEN_CHARS = /^(?:[a-z0-9 ]|\P{ASCII})*$/u;

function assertUsage(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => error instanceof NewsmirrorError && error.code === 'usage' && error.stage === 'web');
}

describe('parseQuery', () => {
  it('QP-01 a Chinese term of n characters is the phrase of its n-1 bigrams; one character is a prefix token', () => {
    assert.equal(parseQuery('朝鲜').match, '"朝鲜"');
    assert.equal(parseQuery('国安法').match, '"国安 安法"');
    assert.equal(parseQuery('拉夫罗夫').match, '"拉夫 夫罗 罗夫"');
    assert.equal(parseQuery('港').match, '"港" *');
  });

  it('QP-02 words are lower-cased and NFKC-normalised; mixed scripts are ANDed terms', () => {
    assert.equal(parseQuery('Trump').match, '"trump"');
    assert.equal(parseQuery('ＴＲＵＭＰ').match, '"trump"');
    assert.equal(parseQuery('特朗普 Trump').match, '"特朗 朗普" AND "trump"');
    assert.equal(parseQuery('G20峰会').match, '"g20" AND "峰会"');
    assert.equal(parseQuery('香港，国安法').match, '"香港" AND "国安 安法"');
  });

  it('QP-03 quoted phrases keep their order; inner CJK runs keep their closing unigram, the last run may continue', () => {
    assert.equal(parseQuery('"Hong Kong"').match, '"hong kong"');
    assert.equal(parseQuery('“Hong Kong” 香港').match, '"hong kong" AND "香港"');
    assert.equal(parseQuery('"香港 国安法"').match, '"香港 港 国安 安法"');
    assert.equal(parseQuery('"G20 峰"').match, '"g20 峰" *');
    // A one-piece phrase is just that term.
    assert.equal(parseQuery('"国安法"').match, '"国安 安法"');
  });

  it('QP-04 an unbalanced quote runs to the end of the query', () => {
    assert.equal(parseQuery('香港 "Hong Kong').match, '"香港" AND "hong kong"');
  });

  it('QP-05 FTS5 and SQL syntax is plain text', () => {
    assert.equal(parseQuery('NEAR(a b)').match, '"near" AND "a" AND "b"');
    assert.equal(parseQuery('a AND b OR c NOT d').match, '"a" AND "and" AND "b" AND "or" AND "c" AND "not" AND "d"');
    assert.equal(parseQuery("'; DROP TABLE x; --").match, '"drop" AND "table" AND "x"');
    assert.equal(parseQuery('title:香港 ^朝鲜 国安*').match, '"title" AND "香港" AND "朝鲜" AND "国安"');
  });

  it('QP-06 duplicate terms are kept once; highlights list the pieces', () => {
    const parsed = parseQuery('香港 香港 HK hk');
    assert.equal(parsed.match, '"香港" AND "hk"');
    assert.deepEqual(parsed.highlights, [
      { kind: 'cjk', text: '香港' },
      { kind: 'word', text: 'hk' },
    ]);
  });

  it('QP-07 empty, unsearchable, too long and too many terms are usage errors', () => {
    assertUsage(() => parseQuery(''));
    assertUsage(() => parseQuery('   \t\n '));
    assertUsage(() => parseQuery('"'));
    assertUsage(() => parseQuery('*'));
    assertUsage(() => parseQuery('😀🎉'));
    assertUsage(() => parseQuery('\u0000\u0001\u200b'));
    assertUsage(() => parseQuery('香'.repeat(MAX_QUERY_LENGTH + 1)));
    assertUsage(() => parseQuery('x'.repeat(10_000)));
    assert.equal(parseQuery(` ${'香'.repeat(MAX_QUERY_LENGTH)} `).terms.length, 1);
    const words = Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`).join(' ');
    assertUsage(() => parseQuery(words));
    assert.equal(parseQuery(words.split(' ').slice(1).join(' ')).terms.length, MAX_QUERY_TERMS);
  });

  it('QP-08 control characters separate words', () => {
    assert.equal(parseQuery('香港\u0000朝鲜\u0007Trump').match, '"香港" AND "朝鲜" AND "trump"');
  });

  it('QP-09 any input either parses to the safe grammar or is a usage error', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('"', '*', 'NEAR', '(', ')', ':', '^', '-', '+', 'AND', 'OR', '{', '}', "'", ';', '香港', 'x', ' ', '“', '”', '\u0000'), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (q) => {
        try {
          const parsed = parseQuery(q);
          assert.match(parsed.match, SAFE_MATCH);
          for (const term of parsed.terms) assert.match(term.fts.replace(/ \*$/, '').slice(1, -1), TOKEN_CHARS);
        } catch (error) {
          assert.ok(error instanceof NewsmirrorError && error.code === 'usage', String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
