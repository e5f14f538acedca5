import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseQuery } from '../../core/search/index.js';
import { articleKeys, bucketDocs, bucketOf, keyAt, keyOf, readFeatures, sourceBase, termKeys, widthOf } from './postgres-keys.js';

function keysOf(q: string): ReturnType<typeof termKeys> {
  const [term] = parseQuery(q).terms;
  assert.ok(term !== undefined);
  return termKeys(term);
}

function holds(title: string, body: string, q: string): boolean {
  const present = readFeatures(title, body, 'rfi');
  return keysOf(q).bases.every((base) => present.has(base));
}

describe('PostgreSQL search keys', () => {
  it('PK-01 a CJK term of one to three characters, a word, or two words is exactly its keys', () => {
    for (const q of ['港', '香港', 'Trump', '"Hong Kong"']) {
      const keys = keysOf(q);
      assert.equal(keys.exact, true, q);
      assert.equal(keys.bases.length, 1, q);
    }
    assert.equal(keysOf('国安法').exact, true);
    assert.deepEqual(keysOf('国安法').bases.map(widthOf).sort(), [22, 45], 'its trigram and its first bigram (the bucketed key)');
    assert.equal(keysOf('拉夫罗夫').exact, false);
    assert.deepEqual(keysOf('拉夫罗夫').bases.length, 3, 'two trigrams and the first bigram');
    assert.equal(keysOf('"a b c"').exact, false);
  });

  it('PK-02 keys hold where the text holds the term, and not across a run break, a word or a field', () => {
    assert.ok(holds('', '香港国安法通过', '国安法'));
    assert.ok(!holds('', '国安，安法', '国安法'), 'a trigram never spans a run break');
    assert.ok(holds('', '他说 Hong Kong 很好', '"Hong Kong"'));
    assert.ok(!holds('', 'Kong and Hong', '"Hong Kong"'));
    assert.ok(!holds('', 'Hong 香港 Kong', '"Hong Kong"'), 'a CJK run separates two words');
    assert.ok(!holds('Hong', 'Kong', '"Hong Kong"'), 'a pair never spans title and body');
    assert.ok(holds('', '𠀀𠀁𠀂', '𠀀𠀁𠀂'), 'astral characters are hashed the same way on both sides');
    assert.ok(holds('', 'ＴＲＵＭＰ说', 'trump'));
    assert.ok(holds('', '东方香港《国安法》实施', '"香港 国安法"'), 'a phrase across runs needs their junction');
    assert.ok(!holds('', '香港。法律：国安法', '"香港 国安法"'), 'both runs, another junction');
    assert.ok(holds('', '新香港 国安法规', '"港 国"'), 'a one-character piece at either end');
    assert.ok(holds('', 'G20峰会', '"g20 峰会"'));
  });

  it('PK-03 the keys of an article carry its bucket, and its source is one of them', () => {
    const [bigram] = keysOf('香港').bases;
    assert.ok(bigram !== undefined);
    const doc = 5 * bucketDocs(widthOf(bigram)) + 3;
    const keys = new Set(articleKeys(readFeatures('标题', '香港', 'rfi'), doc));
    assert.ok(keys.has(keyAt(bigram, doc)));
    assert.ok(!keys.has(keyAt(bigram, 0)), 'another bucket is another key');
    assert.ok(keys.has(keyAt(sourceBase('rfi'), doc)));
    assert.ok(!keys.has(keyAt(sourceBase('voa'), doc)));
  });

  it('PK-04 keys are exact int8 decimals past 2^53, and differ by bucket', () => {
    const trigram = keysOf('国安法').bases.find((base) => widthOf(base) === 45);
    assert.ok(trigram !== undefined && trigram > 2 ** 41);
    const key = BigInt(keyOf(trigram, 5));
    assert.equal(key, BigInt(trigram) * 2048n + 5n);
    assert.ok(key < 2n ** 63n);
    const [word] = keysOf('Trump').bases;
    assert.ok(word !== undefined);
    const width = widthOf(word);
    assert.notEqual(keyAt(word, 0), keyAt(word, bucketDocs(width)));
    assert.equal(keyAt(word, bucketDocs(width) - 1), keyAt(word, 0), 'one bucket');
    assert.equal(keyOf(word, -1), keyOf(word, 2047), 'a negative bucket wraps like any other');
    assert.equal(bucketOf(-1, width), -1);
    const [bigram] = keysOf('香港').bases;
    assert.ok(bigram !== undefined && widthOf(bigram) < width, 'the commonest kind has the narrowest buckets');
    const now = Math.floor(Date.UTC(2026, 0, 1) / 1000) * 64;
    assert.equal(keyAt(trigram, now), keyAt(trigram, 0), 'a trigram has one bucket for all time');
  });

  it('PK-05 a phrase of two CJK runs of two or three characters, or of one each, is exactly its junction keys', () => {
    for (const q of ['"香港 国安法"', '"香港 国安"', '"在香港 国安"', '"在香港 国安法"']) {
      const keys = keysOf(q);
      assert.equal(keys.exact, true, q);
      assert.deepEqual(keys.bases.map(widthOf).sort(), [24, 45], `${q}: its run junction and the bucketed 1|1 junction`);
    }
    assert.equal(keysOf('"港 国"').exact, true);
    assert.deepEqual(keysOf('"港 国"').bases.map(widthOf), [24], 'the 1|1 junction alone');
    for (const q of ['"港 国安法"', '"香港 国"', '"香港特区 国安法"', '"香港 国安法 实施"', '"香港 trump"', '"hong 香港"']) {
      assert.equal(keysOf(q).exact, false, `${q}: a one-character run beside a longer one, a run of four, three pieces or a word keep the row check`);
    }
  });

  it('PK-06 a run junction holds where a run ends with the first run and the next begins with the second, whatever else the runs hold', () => {
    assert.ok(holds('', '在香港《国安法》', '"香港 国安法"'), 'runs that go on beyond the phrase on the outside');
    assert.ok(holds('', '在香港《国安法律》', '"香港 国安法"'));
    assert.ok(holds('', '香港：国安', '"香港 国安"'));
    assert.ok(holds('', '说在香港 国安', '"在香港 国安"'));
    assert.ok(!holds('', '香港的国安法', '"香港 国安法"'), 'one run: no junction');
    assert.ok(!holds('', '香港人，国安法', '"香港 国安法"'), 'the first run goes on after the phrase');
    assert.ok(!holds('', '香港，中国安法', '"香港 国安法"'), 'the second run starts before the phrase');
    assert.ok(!holds('', '香港，国安。国安法', '"香港 国安法"'), 'both runs, and 港|国, but not 香港|国安法');
    assert.ok(!holds('', '港，国安法', '"香港 国安法"'), 'a first run shorter than the phrase\'s');
    assert.ok(!holds('', '香港，国安', '"香港 国安法"'), 'a second run shorter than the phrase\'s');
    assert.ok(!holds('香港', '国安法', '"香港 国安法"'), 'a junction never spans title and body');
    assert.ok(holds('', '𠀀𠀁，𠀂𠀃𠀄', '"𠀀𠀁 𠀂𠀃𠀄"'), 'astral characters count as one character on both sides');
    assert.ok(holds('', '东港 国', '"港 国"'));
  });
});
