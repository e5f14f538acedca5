import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NewsmirrorError } from '../../core/errors.js';
import { bypassesProxy, proxyForTarget, readProxySettings } from './proxy.js';

describe('bypassesProxy (NO_PROXY)', () => {
  const cases: [string, string, boolean][] = [
    ['https://feedx.net/rss/rfi.xml', '*', true],
    ['https://feedx.net/rss/rfi.xml', 'feedx.net', true],
    ['https://www.feedx.net/rss/rfi.xml', 'feedx.net', true],
    ['https://www.feedx.net/rss/rfi.xml', '.feedx.net', true],
    ['https://feedx.net/rss/rfi.xml', '.feedx.net', true],
    ['https://a.feedx.net/', '*.feedx.net', true],
    ['https://notfeedx.net/', 'feedx.net', false],
    ['https://FEEDX.net/', 'feedx.NET', true],
    ['https://feedx.net/', 'example.org,  feedx.net', true],
    ['https://feedx.net/', 'example.org feedx.net', true],
    ['https://feedx.net/', 'feedx.net:443', true],
    ['https://feedx.net/', 'feedx.net:8443', false],
    ['http://feedx.net:8080/', 'feedx.net:8080', true],
    ['http://10.1.2.3/', '10.0.0.0/8', true],
    ['http://11.1.2.3/', '10.0.0.0/8', false],
    ['http://[::1]:8080/', '::1', true],
    ['http://[::1]:8080/', '[::1]:8080', true],
    ['https://feedx.net/', '', false],
  ];
  for (const [url, noProxy, expected] of cases) {
    it(`NOPROXY ${JSON.stringify(noProxy)} ${expected ? 'bypasses' : 'keeps'} ${url}`, () => {
      assert.equal(bypassesProxy(new URL(url), noProxy), expected);
    });
  }
});

describe('readProxySettings', () => {
  it('PROXY-01 network.proxy wins over the environment and serves both schemes', () => {
    const settings = readProxySettings('http://proxy.lan:3128', { HTTPS_PROXY: 'http://other:1' });
    assert.equal(settings.http?.host, 'proxy.lan:3128');
    assert.equal(settings.https?.host, 'proxy.lan:3128');
  });
  it('PROXY-02 reads HTTP_PROXY / HTTPS_PROXY per scheme, lower case first, bare host:port as http', () => {
    const settings = readProxySettings(undefined, { https_proxy: 'proxy.lan:3128', HTTPS_PROXY: 'http://ignored:1', NO_PROXY: 'x' });
    assert.equal(settings.http, undefined);
    assert.equal(settings.https?.href, 'http://proxy.lan:3128/');
    assert.equal(settings.noProxy, 'x');
    assert.equal(proxyForTarget(new URL('http://feedx.net/'), settings), undefined);
    assert.equal(proxyForTarget(new URL('https://feedx.net/'), settings)?.host, 'proxy.lan:3128');
    assert.equal(proxyForTarget(new URL('https://x/'), settings), undefined);
  });
  it('PROXY-04 falls back to ALL_PROXY for schemes without their own proxy', () => {
    const settings = readProxySettings(undefined, { ALL_PROXY: 'socks5://127.0.0.1:7890', HTTPS_PROXY: 'http://corp:3128' });
    assert.equal(settings.http?.href, 'socks5://127.0.0.1:7890');
    assert.equal(settings.https?.href, 'http://corp:3128/');
  });
  it('PROXY-03 accepts socks5 and refuses other schemes with a config error', () => {
    assert.equal(readProxySettings('socks5://127.0.0.1:1080', {}).https?.protocol, 'socks5:');
    assert.throws(
      () => readProxySettings('ftp://u:p4ss@proxy:21', {}),
      (error: unknown) => error instanceof NewsmirrorError && error.code === 'proxy' && !error.message.includes('p4ss'),
    );
  });
});
