import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseFeed } from './index.js';

// Golden fixtures: real feeds in testdata/ beside the FeedDoc we expect from them. After a deliberate
// change of behaviour, regenerate with
//   UPDATE_GOLDEN=1 node --import tsx --test src/core/parse/golden.test.ts
// and review the diff of testdata/*.expected.json by eye before committing it.
const dir = new URL('./testdata/', import.meta.url);
const BASE = 'https://feeds.example.org/feed.xml';
const inputs = readdirSync(dir).filter((name) => /\.(xml|json)$/.test(name) && !name.endsWith('.expected.json'));

for (const name of inputs) {
  test(`golden ${name}`, () => {
    const doc = parseFeed(new Uint8Array(readFileSync(new URL(name, dir))), { url: BASE });
    const actual = JSON.parse(JSON.stringify(doc)) as unknown;
    const expectedUrl = new URL(`${name.replace(/\.(xml|json)$/, '')}.expected.json`, dir);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedUrl, `${JSON.stringify(actual, null, 2)}\n`);
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedUrl, 'utf8')));
  });
}

test('P-G01 GBK and Big5 transcodes of a real Chinese feed parse like the UTF-8 original', () => {
  const read = (name: string) => parseFeed(new Uint8Array(readFileSync(new URL(name, dir))));
  const original = read('rss2-wechat-utf8-source.xml');
  assert.equal(original.encoding, 'utf-8');
  assert.ok(original.entries.length > 5);
  const gbk = read('rss2-wechat-gbk.xml');
  assert.equal(gbk.encoding, 'gb18030');
  assert.deepEqual({ ...gbk, encoding: 'utf-8' }, original);
  // Big5 has no simplified characters: the fixture carries them as character references, which
  // stay literal inside CDATA (content) but decode everywhere else.
  const big5 = read('rss2-wechat-big5.xml');
  assert.equal(big5.encoding, 'big5');
  assert.equal(big5.title, original.title);
  assert.equal(big5.description, original.description);
  assert.deepEqual(
    big5.entries.map(({ title, link, id, published }) => ({ title, link, id, published })),
    original.entries.map(({ title, link, id, published }) => ({ title, link, id, published })),
  );
});
