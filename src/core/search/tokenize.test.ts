import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CORPORA, corpusPath, type Corpus } from '../../../test/helpers/corpus.js';
import { htmlToText } from '../html/index.js';
import { parseQuery, type QueryTerm } from './query.js';
import { foldText, splitPieces, tokenizeForIndex } from './tokenize.js';

function corpusTexts(corpus: Corpus, count: number): string[] {
  return readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
    .split('\n')
    .slice(0, count)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const row = JSON.parse(line) as { title?: string | null; html?: string | null };
      return `${row.title ?? ''}\n${htmlToText(row.html ?? '')}`;
    });
}

/**
 * matchesLikeFts5 evaluates one parsed CJK term against index tokens the way FTS5 does: a phrase
 * is consecutive tokens, a prefix term's last token a prefix.
 */
function matchesLikeFts5(indexTokens: string[], term: QueryTerm | undefined): boolean {
  const prefix = term?.prefix ?? false;
  const phrase = term?.tokens ?? [''];
  for (let start = 0; start + phrase.length <= indexTokens.length; start++) {
    const ok = phrase.every((token, k) => {
      const candidate = indexTokens[start + k] ?? '';
      return prefix && k === phrase.length - 1 ? candidate.startsWith(token) : candidate === token;
    });
    if (ok) return true;
  }
  return false;
}

describe('tokenizeForIndex', () => {
  it('TK-01 indexes CJK runs as bigrams plus a closing unigram, words lower-cased, punctuation dropped', () => {
    assert.equal(tokenizeForIndex('特朗普说：Ｇ20峰会, Hello WORLD!'), '特朗 朗普 普说 说 g20 峰会 会 hello world');
    assert.equal(tokenizeForIndex('拉夫罗夫'), '拉夫 夫罗 罗夫 夫');
    assert.equal(tokenizeForIndex('港'), '港');
    assert.equal(tokenizeForIndex('「」…—！？ ,.;'), '');
  });

  it('TK-02 NFKC-normalises full-width letters and digits, and half-width katakana', () => {
    assert.equal(tokenizeForIndex('ＡＢＣ１２３'), 'abc123');
    assert.equal(tokenizeForIndex('ｶﾀｶﾅ'), tokenizeForIndex('カタカナ'));
  });

  it('TK-03 treats extension A and astral Han, kana, hangul as CJK; keeps accents in words', () => {
    assert.equal(tokenizeForIndex('㐀㐁'), '㐀㐁 㐁');
    assert.equal(tokenizeForIndex('𠮷野家'), '𠮷野 野家 家');
    assert.equal(tokenizeForIndex('ラーメン'), 'ラー ーメ メン ン');
    assert.equal(tokenizeForIndex('한국어'), '한국 국어 어');
    assert.equal(tokenizeForIndex('Café naïve'), 'café naïve');
  });

  it('TK-04 does not fold simplified and traditional characters (the web layer converts display only)', () => {
    assert.notEqual(tokenizeForIndex('国安法'), tokenizeForIndex('國安法'));
  });

  for (const corpus of CORPORA) {
    it(`TK-05 the fast path for BMP text gives the same tokens as the general path, on real articles (${corpus.name} corpus)`, { skip: corpus.skip }, () => {
      // An astral emoji sends the text through the general path and is itself dropped as a symbol.
      for (const text of corpusTexts(corpus, 200)) assert.equal(tokenizeForIndex(`${text} 😀`), tokenizeForIndex(text));
    });

    it(`TK-06 splitPieces agrees with the index tokens (${corpus.name} corpus)`, { skip: corpus.skip }, () => {
      for (const text of corpusTexts(corpus, 50)) {
        const fromPieces = splitPieces(text)
          .map((piece) => (piece.kind === 'word' ? piece.text : tokenizeForIndex(piece.text)))
          .join(' ');
        assert.equal(fromPieces, tokenizeForIndex(text));
      }
    });
  }

  it('TK-07 a Chinese term matches the index tokens exactly when the text contains it as a substring', () => {
    // A small alphabet with punctuation, spaces and Latin makes near-misses and run boundaries common.
    const alphabet = ['国', '安', '法', '港', '，', ' ', 'a', '香'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((chars) => chars.join(''));
    const term = fc.array(fc.constantFrom('国', '安', '法', '港', '香'), { minLength: 1, maxLength: 4 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, term, (doc, query) => {
        const tokens = tokenizeForIndex(doc).split(' ');
        const term = parseQuery(query).terms[0];
        assert.equal(matchesLikeFts5(tokens, term), foldText(doc).includes(query), `${doc} / ${query} / ${JSON.stringify(term)}`);
      }),
      { numRuns: 3000 },
    );
  });

  for (const corpus of CORPORA) {
    it(`TK-08 real terms match real articles exactly as a substring search does (${corpus.name} corpus)`, { skip: corpus.skip }, () => {
      for (const text of corpusTexts(corpus, 300)) {
        const tokens = tokenizeForIndex(text).split(' ');
        for (const query of ['朝鲜', '国安法', '拉夫罗夫', '香港', '特朗普', '港']) {
          const term = parseQuery(query).terms[0];
          // Title and body are indexed apart; the oracle's newline keeps a match from spanning them.
          assert.equal(matchesLikeFts5(tokens, term), text.includes(query), query);
        }
      }
    });
  }
});
