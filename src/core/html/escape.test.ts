import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeHTML } from 'entities';
import { escapeHtml } from './index.js';

describe('escapeHtml', () => {
  it('ES-01 escapes the five HTML specials', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('ES-02 output holds no special and decodes back to the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeHtml(text);
        assert.equal(/[<>"']/.test(escaped), false);
        assert.equal(decodeHTML(escaped), text);
      }),
    );
  });
});
