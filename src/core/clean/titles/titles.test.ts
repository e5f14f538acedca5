import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cleanTitle, type CleanTitle, type TitleRule } from './index.js';

interface Case {
  id: string;
  sourceId: string;
  title: string;
  expected: CleanTitle;
}

const CASES = JSON.parse(readFileSync(new URL('./testdata/titles.json', import.meta.url), 'utf8')) as Case[];

for (const c of CASES) {
  test(`${c.id} cleanTitle(${JSON.stringify(c.title)}, ${c.sourceId})`, () => {
    assert.deepEqual(cleanTitle(c.title, c.sourceId), c.expected);
  });
}

test('T-RULE01 a rule applies only to its own sources; prefixes are cut, a cut leaving nothing is skipped', () => {
  const rule: TitleRule = { site: 'mirror', sourceIds: ['m'], prefixes: [/^\[feedx\]\s*/u], suffixes: [/\s*\| Mirror$/u] };
  assert.deepEqual(cleanTitle('[feedx] 新闻 | Mirror', 'm', [rule]), { title: '新闻' });
  assert.deepEqual(cleanTitle('[feedx] 新闻 | Mirror', 'other', [rule]), { title: '[feedx] 新闻 | Mirror' });
  assert.deepEqual(cleanTitle('[feedx]', 'm', [rule]), { title: '[feedx]' });
});
