import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CORPORA, corpusPath, type Corpus } from '../../../test/helpers/corpus.js';
import type { Article } from '../model/index.js';
import { parseArticleFile, renderArticleFile } from './article-file.js';
import { formatBlocks } from './blocks.js';

// The duty-machine/news archive the project continues (see the shared corpus's README.md), whole or in
// the repository's small copy; each must be read entirely, so the least counts differ.
const LEAST: Record<Corpus['name'], { samples: number; headerless: number; rows: number }> = {
  shared: { samples: 50, headerless: 2, rows: 3000 },
  fixture: { samples: 4, headerless: 1, rows: 40 },
};

interface Row {
  source: string;
  path: string;
  pubDate: number | null;
  title: string;
  link: string | null;
  html: string;
  flags: string[];
}

function rows(corpus: Corpus): Row[] {
  return readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Row);
}

// Rebuilds an original file from its row, as the corpus README describes for rows without anomalies.
function originalText(row: Row): string {
  if (row.flags.includes('malformed_title_line')) return `<!--${row.pubDate}-->\n${row.html}\n`;
  if (row.pubDate === null) return `[${row.title}](${row.link})\n------\n${row.html}\n`;
  return `<!--${row.pubDate}-->\n[${row.title}](${row.link})\n------\n\n${row.html}\n`;
}

for (const corpus of CORPORA) describe(`corpus round trip (${corpus.name} corpus)`, () => {
  it('C01 reads every raw sample of the original archive as articles.jsonl records it', { skip: corpus.skip }, () => {
    const byPath = new Map(rows(corpus).map((row) => [row.path, row]));
    const manifest = readFileSync(corpusPath(corpus, 'dutymachine/raw_samples/MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
    assert.ok(manifest.length >= LEAST[corpus.name].samples);
    let headerless = 0;
    for (const line of manifest) {
      const [file, , path] = line.split('\t');
      const row = byPath.get(path!);
      assert.ok(row, `row for ${path}`);
      const parsed = parseArticleFile(readFileSync(corpusPath(corpus, `dutymachine/raw_samples/${file}`), 'utf8'));
      assert.equal(parsed.published ?? null, row.pubDate, `${file} published`);
      assert.equal(parsed.title, row.title, `${file} title`);
      assert.equal(parsed.link, row.link, `${file} link`);
      assert.equal(parsed.body, row.html, `${file} body`);
      if (row.pubDate === null) {
        headerless++;
        assert.ok(parsed.dateLine !== undefined && parsed.dateLine > Date.UTC(2020, 0, 1), `${file} 日期 line`);
      }
    }
    assert.ok(headerless >= LEAST[corpus.name].headerless, 'the samples include header-less CDT files');
  });

  it('C02 reads every original file rebuilt from articles.jsonl, including the anomalies', { skip: corpus.skip }, () => {
    let checked = 0;
    for (const row of rows(corpus)) {
      const parsed = parseArticleFile(originalText(row));
      if (row.flags.includes('malformed_title_line')) {
        // The corpus's own parser gave up on this one (title split over three lines); ours joins it.
        assert.equal(parsed.title, '德语媒体：北京的快速回应');
        assert.match(parsed.link, /^https:\/\/www\.dw\.com\/zh\/.*a-53985946$/);
        assert.ok(parsed.body.startsWith('<div><i>'));
        assert.equal(parsed.published, row.pubDate);
      } else {
        assert.equal(parsed.published ?? null, row.pubDate, row.path);
        assert.equal(parsed.title, row.title, row.path);
        assert.equal(parsed.link, row.link, row.path);
        assert.equal(parsed.body, row.html, row.path);
      }
      checked++;
    }
    assert.ok(checked >= LEAST[corpus.name].rows, `${checked} rows`);
  });

  it('C03 renders every corpus article and reads it back; block formatting only adds newlines', { skip: corpus.skip }, () => {
    for (const row of rows(corpus)) {
      if (row.link === null) continue;
      const article: Article = {
        id: 'corpus0000000000',
        sourceId: 'corpus',
        key: row.link,
        url: row.link,
        canonicalUrl: row.link,
        title: row.title,
        bodyHtml: row.html,
        published: row.pubDate ?? 0,
        dateMissing: row.pubDate === null,
        firstSeen: 0,
        contentHash: '0',
        version: 1,
        path: row.path,
        method: 'feed',
        authors: [],
        categories: [],
        lastSeen: 0,
      };
      const text = renderArticleFile(article);
      const parsed = parseArticleFile(text);
      const formatted = formatBlocks(row.html);
      assert.equal(parsed.body, formatted, row.path);
      assert.equal(formatBlocks(formatted), formatted, `${row.path} idempotent`);
      assert.equal(formatted.replace(/\n/g, ''), row.html.replace(/\n/g, ''), `${row.path} only newlines added`);
      assert.equal(parsed.link, row.link);
      assert.equal(parsed.title, row.title.replace(/[ \t\n\v\f\r\u0085\u2028\u2029]+/g, ' ').trim());
      assert.equal(parsed.meta?.dateMissing, row.pubDate === null);
    }
  });
});
