import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NewsmirrorError } from '../errors.js';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQuery } from './query.js';

/** The only ASCII in our tokens is lower-case letters and digits (FTS5's ascii tokenizer splits on the rest). */
const TOKEN = /^(?:[a-z0-9]|\P{ASCII})+$/u;

function assertUsage(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => error instanceof NewsmirrorError && error.code === 'usage' && error.stage === 'web');
}

/** terms shows a query's terms as their tokens, a prefix term ending in `*`. */
function terms(q: string): string[][] {
  return parseQuery(q).terms.map((term) => (term.prefix ? [...term.tokens, '*'] : term.tokens));
}

describe('parseQuery', () => {
  it('QP-01 a Chinese term of n characters is the phrase of its n-1 bigrams; one character is a prefix token', () => {
    assert.deepEqual(terms('朝鲜'), [['朝鲜']]);
    assert.deepEqual(terms('国安法'), [['国安', '安法']]);
    assert.deepEqual(terms('拉夫罗夫'), [['拉夫', '夫罗', '罗夫']]);
    assert.deepEqual(terms('港'), [['港', '*']]);
    assert.deepEqual(
      parseQuery('港 Trump').terms.map(({ kind, text }) => ({ kind, text })),
      [
        { kind: 'cjk', text: '港' },
        { kind: 'word', text: 'trump' },
      ],
    );
  });

  it('QP-02 words are lower-cased and NFKC-normalised; mixed scripts are separate terms', () => {
    assert.deepEqual(terms('Trump'), [['trump']]);
    assert.deepEqual(terms('ＴＲＵＭＰ'), [['trump']]);
    assert.deepEqual(terms('特朗普 Trump'), [['特朗', '朗普'], ['trump']]);
    assert.deepEqual(terms('G20峰会'), [['g20'], ['峰会']]);
    assert.deepEqual(terms('香港，国安法'), [['香港'], ['国安', '安法']]);
  });

  it('QP-03 quoted phrases keep their order; inner CJK runs keep their closing unigram, the last run may continue', () => {
    assert.deepEqual(terms('"Hong Kong"'), [['hong', 'kong']]);
    assert.deepEqual(terms('“Hong Kong” 香港'), [['hong', 'kong'], ['香港']]);
    assert.deepEqual(terms('"香港 国安法"'), [['香港', '港', '国安', '安法']]);
    assert.deepEqual(terms('"G20 峰"'), [['g20', '峰', '*']]);
    assert.equal(parseQuery('"Hong Kong"').terms[0]?.kind, 'phrase');
    // A one-piece phrase is just that term.
    assert.deepEqual(parseQuery('"国安法"').terms, parseQuery('国安法').terms);
  });

  it('QP-04 an unbalanced quote runs to the end of the query', () => {
    assert.deepEqual(terms('香港 "Hong Kong'), [['香港'], ['hong', 'kong']]);
  });

  it('QP-05 search engine and SQL syntax is plain text', () => {
    assert.deepEqual(terms('NEAR(a b)'), [['near'], ['a'], ['b']]);
    assert.deepEqual(terms('a AND b OR c NOT d'), [['a'], ['and'], ['b'], ['or'], ['c'], ['not'], ['d']]);
    assert.deepEqual(terms("'; DROP TABLE x; --"), [['drop'], ['table'], ['x']]);
    assert.deepEqual(terms('title:香港 ^朝鲜 国安*'), [['title'], ['香港'], ['朝鲜'], ['国安']]);
  });

  it('QP-06 duplicate terms are kept once; highlights list the pieces', () => {
    const parsed = parseQuery('香港 香港 HK hk');
    assert.deepEqual(terms('香港 香港 HK hk'), [['香港'], ['hk']]);
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
    assert.deepEqual(terms('香港\u0000朝鲜\u0007Trump'), [['香港'], ['朝鲜'], ['trump']]);
  });

  it('QP-09 any input either parses to terms of index tokens or is a usage error', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('"', '*', 'NEAR', '(', ')', ':', '^', '-', '+', 'AND', 'OR', '{', '}', "'", ';', '香港', 'x', ' ', '“', '”', '\u0000'), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (q) => {
        try {
          const parsed = parseQuery(q);
          assert.ok(parsed.terms.length > 0 && parsed.terms.length <= MAX_QUERY_TERMS);
          for (const term of parsed.terms) {
            assert.ok(term.tokens.length > 0);
            for (const token of term.tokens) assert.match(token, TOKEN);
          }
        } catch (error) {
          assert.ok(error instanceof NewsmirrorError && error.code === 'usage', String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
