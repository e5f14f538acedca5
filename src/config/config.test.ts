import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, resolveConfigPaths, DEFAULT_CONFIG_YAML } from './index.js';

describe('config', () => {
  it('CFG-01 the init template is valid and holds the nine sources of the system we continue', () => {
    const result = parseConfig(DEFAULT_CONFIG_YAML);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      result.config.sources.map((s) => s.id),
      ['rfi', 'bbc', 'voa', 'dw', 'nytimes', 'reuters', 'ft', 'rfa', 'cdt'],
    );
    assert.equal(result.config.sources[2]?.url, 'https://feedx.net/rss/mgzy1.xml');
    assert.equal(result.config.timezone, 'Asia/Shanghai');
    assert.equal(result.config.network.allowPrivateNetworks, false);
  });

  it('CFG-02 an empty file gives every default', () => {
    const result = parseConfig('');
    assert.ok(result.ok);
    assert.equal(result.config.archive, './archive');
    assert.equal(result.config.network.perHost, 2);
    assert.deepEqual(result.config.sources, []);
  });

  it('CFG-03 reports every error at once, each with its path', () => {
    const result = parseConfig(`
timezone: Mars/Olympus
network:
  concurrency: 0
  bogus: 1
sources:
  - { id: ok, name: OK, url: https://example.com/feed }
  - { id: ok, name: Dup, url: https://example.com/2 }
  - { id: Bad Id, name: X, url: "ftp://x" }
  - { id: enc, name: E, url: https://e.com/, encoding: klingon }
  - { id: changes, name: C, url: https://c.com/feed }
`);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const errors = result.errors.join('\n');
    assert.match(errors, /^timezone: not an IANA time zone/m);
    assert.match(errors, /^network\.concurrency: /m);
    assert.match(errors, /^network: unknown key: bogus$/m);
    assert.match(errors, /^sources\[1\]\.id: duplicate source id "ok" \(also sources\[0\]\)$/m);
    assert.match(errors, /^sources\[2\]\.id: not a slug/m);
    assert.match(errors, /^sources\[2\]\.url: not an absolute http\(s\) URL$/m);
    assert.match(errors, /^sources\[3\]\.encoding: not a known character encoding label$/m);
    assert.match(errors, /^sources\[4\]\.id: reserved for the reader's own feeds \(changes, removed\)/m);
    assert.equal(result.errors.length, 8);
  });

  it('CFG-04 YAML syntax errors name the line', () => {
    const result = parseConfig('sources:\n  - id: a\n   name: [unclosed\n');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.errors[0] ?? '', /^line \d+, column \d+: /);
  });

  it('CFG-05 a missing required source field is named', () => {
    const result = parseConfig('sources:\n  - id: a\n    url: https://a.example/feed\n');
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors, ['sources[0].name: Invalid input: expected string, received undefined']);
  });

  it('CFG-06 a relative database file is resolved against the config folder; a database URL is left for the composition root to judge', () => {
    const parsed = parseConfig('database: ./news.db\n');
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    assert.equal(resolveConfigPaths(parsed.config, '/srv/news/newsmirror.yaml').database, '/srv/news/news.db');
    for (const url of ['postgres://u:p@db/news', 'postgresql://db/news', 'mysql://db/news']) {
      assert.equal(resolveConfigPaths({ ...parsed.config, database: url }, '/srv/news/newsmirror.yaml').database, url);
    }
  });
});
