import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NewsmirrorError } from '../../core/errors.js';
import { parseQuery } from '../../core/search/index.js';
import { compileFts5Match, fts5String } from './fts5.js';

/** Everything compileFts5Match may produce: quoted strings of our tokens, an optional prefix star, ANDed. */
const SAFE_MATCH = /^"[^"\s]+(?: [^"\s]+)*"(?: \*)?(?: AND "[^"\s]+(?: [^"\s]+)*"(?: \*)?)*$/u;

const match = (q: string): string => compileFts5Match(parseQuery(q));

describe('compileFts5Match', () => {
  it('FTS-01 each term is one quoted phrase of its tokens, a prefix term ends in `*`, terms are ANDed', () => {
    assert.equal(match('朝鲜'), '"朝鲜"');
    assert.equal(match('国安法'), '"国安 安法"');
    assert.equal(match('港'), '"港" *');
    assert.equal(match('特朗普 Trump'), '"特朗 朗普" AND "trump"');
    assert.equal(match('G20峰会'), '"g20" AND "峰会"');
    assert.equal(match('"香港 国安法"'), '"香港 港 国安 安法"');
    assert.equal(match('"G20 峰"'), '"g20 峰" *');
    assert.equal(match('国安法 "Hong Kong" 港'), '"国安 安法" AND "hong kong" AND "港" *');
  });

  it('FTS-02 FTS5 and SQL syntax in a query stays text', () => {
    assert.equal(match('NEAR(a b)'), '"near" AND "a" AND "b"');
    assert.equal(match('a AND b OR c NOT d'), '"a" AND "and" AND "b" AND "or" AND "c" AND "not" AND "d"');
    assert.equal(match("'; DROP TABLE x; --"), '"drop" AND "table" AND "x"');
    assert.equal(match('title:香港 ^朝鲜 国安*'), '"title" AND "香港" AND "朝鲜" AND "国安"');
    assert.equal(fts5String('a"b'), '"a""b"');
  });

  it('FTS-03 any input either compiles to the safe grammar or is a usage error', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('"', '*', 'NEAR', '(', ')', ':', '^', '-', '+', 'AND', 'OR', '{', '}', "'", ';', '香港', 'x', ' ', '“', '”', '\u0000'), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (q) => {
        let parsed;
        try {
          parsed = parseQuery(q);
        } catch (error) {
          assert.ok(error instanceof NewsmirrorError && error.code === 'usage', String(error));
          return;
        }
        assert.match(compileFts5Match(parsed), SAFE_MATCH);
      }),
      { numRuns: 2000 },
    );
  });
});
