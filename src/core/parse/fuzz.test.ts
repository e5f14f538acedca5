import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { isNewsmirrorError } from '../errors.js';
import { parseFeed } from './index.js';

const encoder = new TextEncoder();
const sample = readFileSync(new URL('./testdata/rss2-wechat-utf8-source.xml', import.meta.url), 'utf8');
const atomSample = readFileSync(new URL('./testdata/atom10-intertwingly-xhtml.xml', import.meta.url), 'utf8').slice(0, 6000);

function parseOrNotAFeed(text: string): void {
  try {
    const doc = parseFeed(encoder.encode(text));
    assert.ok(Array.isArray(doc.entries) && Array.isArray(doc.warnings));
  } catch (error) {
    if (!(isNewsmirrorError(error) && error.code === 'not-a-feed')) throw error;
  }
}

const MARKUP = ['<', '>', '&', '&amp;', '&nbsp;', '&#0;', ']]>', '<![CDATA[', '<!--', '-->', '</item>', '<item>', '"', "'", '\u0000', '\u0008', '<?', '<!DOCTYPE x [<!ENTITY a "&a;">]>', '&a;', '</', '/>', '='];

test('P-Z01 mutated real feeds never throw anything but not-a-feed', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(sample, atomSample),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...MARKUP), fc.string({ maxLength: 6 }))), { maxLength: 12 }),
      (base, edits) => {
        let text = base;
        for (const [at, remove, insert] of edits) {
          const index = at % (text.length + 1);
          text = text.slice(0, index) + insert + text.slice(index + remove);
        }
        parseOrNotAFeed(text);
      },
    ),
    { numRuns: 300 },
  );
});

test('P-Z02 every prefix of a real feed parses or is not-a-feed', () => {
  for (let end = 0; end <= sample.length; end += 37) parseOrNotAFeed(sample.slice(0, end));
});

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// XML 1.0 Char production, whitespace collapsed as titles are; text that looks like HTML markup or
// an HTML entity is left out, since RSS titles carrying it are deliberately decoded as HTML.
const xmlText = fc
  .string({ unit: 'grapheme', maxLength: 30 })
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  .map((s) => s.replace(/[\u0000-\u001F\uFFFE\uFFFF]/g, '').replace(/\s+/g, ' ').trim())
  .filter((s) => !/<[a-zA-Z/!]|&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/.test(s));

test('P-Z03 generated well-formed feeds give no warnings and round-trip titles and links', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(xmlText, fc.webUrl()), { maxLength: 8 }), (items) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${items
        .map(([title, link]) => `<item><title>${escapeXml(title)}</title><link>${escapeXml(link)}</link></item>`)
        .join('')}</channel></rss>`;
      const doc = parseFeed(encoder.encode(xml));
      assert.deepEqual(doc.warnings, []);
      assert.deepEqual(
        doc.entries.map((e) => [e.title ?? '', e.link]),
        items.map(([title, link]) => [title, link]),
      );
    }),
    { numRuns: 200 },
  );
});
