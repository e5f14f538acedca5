import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import zlib from 'node:zlib';

import { createHttpClient, type HttpClientOptions } from '../../src/adapters/http/index.js';
import { NewsmirrorError } from '../../src/core/errors.js';
import type { HttpClient } from '../../src/core/ports.js';
import { startProxy, startServer, startSocksProxy, type FixtureServer } from '../helpers/fixture-server.js';

const FEED = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>法广 RFI 中文</title></channel></rss>';

const clients: HttpClient[] = [];
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  await Promise.all([...clients.map((client) => client.close()), ...servers.map((server) => server.close())]);
});

/** client builds a test client: private networks allowed (the servers are on 127.0.0.1), sleeps recorded. */
function client(options: HttpClientOptions = {}): { http: HttpClient; waits: number[] } {
  const waits: number[] = [];
  const http = createHttpClient({
    allowPrivateNetworks: true,
    env: {},
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  clients.push(http);
  return { http, waits };
}

async function server(handler: Parameters<typeof startServer>[0]): Promise<FixtureServer> {
  const started = await startServer(handler);
  servers.push(started);
  return started;
}

/** failure runs a promise that must reject and returns the NewsmirrorError. */
async function failure(promise: Promise<unknown>): Promise<NewsmirrorError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NewsmirrorError, `expected a NewsmirrorError, got ${String(error)}`);
    assert.equal(error.stage, 'fetch');
    return error;
  }
  assert.fail('expected the request to fail');
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('HTTP client against local servers', () => {
  it('HTTP-01 conditional GET: sends validators, maps 304 to notModified with an empty body', async () => {
    const fixture = await server((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Fri, 20 Oct 2023 03:51:00 GMT', 'content-type': 'application/rss+xml' });
      res.end(FEED);
    });
    const { http } = client();
    const first = await http.get({ url: `${fixture.url}/rss.xml`, sourceId: 'rfi' });
    assert.equal(first.status, 200);
    assert.equal(first.notModified, false);
    assert.equal(text(first.body), FEED);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.lastModified, 'Fri, 20 Oct 2023 03:51:00 GMT');
    assert.equal(first.headers['content-type'], 'application/rss+xml');

    const second = await http.get({ url: `${fixture.url}/rss.xml`, etag: first.etag, lastModified: first.lastModified });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.body.length, 0);

    const [plain, conditional] = fixture.requests;
    assert.match(String(plain?.headers['user-agent']), /newsmirror/);
    assert.equal(plain?.headers['accept-encoding'], 'gzip, deflate, br');
    assert.match(String(plain?.headers.accept), /application\/rss\+xml/);
    assert.equal(plain?.headers['if-none-match'], undefined);
    assert.equal(conditional?.headers['if-none-match'], '"v1"');
    assert.equal(conditional?.headers['if-modified-since'], 'Fri, 20 Oct 2023 03:51:00 GMT');
  });

  it('HTTP-02 decompresses gzip, br, zlib deflate and raw deflate', async () => {
    const encoders: Record<string, [string, (data: Buffer) => Buffer]> = {
      '/gzip': ['gzip', zlib.gzipSync],
      '/br': ['br', zlib.brotliCompressSync],
      '/deflate': ['deflate', zlib.deflateSync],
      '/raw-deflate': ['deflate', zlib.deflateRawSync],
    };
    const fixture = await server((req, res) => {
      const encoder = encoders[req.url ?? ''];
      if (encoder === undefined) throw new Error('unknown path');
      res.writeHead(200, { 'content-encoding': encoder[0] }).end(encoder[1](Buffer.from(FEED)));
    });
    const { http } = client();
    for (const path of Object.keys(encoders)) {
      const response = await http.get({ url: `${fixture.url}${path}` });
      assert.equal(text(response.body), FEED, path);
    }
  });

  it('HTTP-03 follows a relative redirect and reports the final URL', async () => {
    const fixture = await server((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: 'new?x=1' }).end();
      else res.end(FEED);
    });
    const { http } = client();
    const response = await http.get({ url: `${fixture.url}/old` });
    assert.equal(response.url, `${fixture.url}/new?x=1`);
    assert.equal(text(response.body), FEED);
  });

  it('HTTP-04 redirect loop, missing Location and too many redirects are errors', async () => {
    const fixture = await server((req, res) => {
      const url = req.url ?? '';
      if (url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (url === '/b') res.writeHead(302, { location: '/a' }).end();
      else if (url === '/nowhere') res.writeHead(302).end();
      else if (url.startsWith('/chain/')) res.writeHead(307, { location: `/chain/${Number(url.slice(7)) + 1}` }).end();
      else res.end('ok');
    });
    const { http } = client();
    assert.equal((await failure(http.get({ url: `${fixture.url}/a` }))).code, 'redirect-loop');
    assert.equal((await failure(http.get({ url: `${fixture.url}/nowhere` }))).code, 'redirect-missing-location');
    assert.equal((await failure(http.get({ url: `${fixture.url}/chain/0` }))).code, 'too-many-redirects');
    // Five hops is still fine: /chain/0 → … → /chain/5 is five redirects, the sixth is refused.
    assert.equal(fixture.requests.filter((request) => request.url.startsWith('/chain/')).length, 6);
  });

  it('HTTP-05 429 with Retry-After (seconds and HTTP date) is waited out, then retried', async () => {
    let calls = 0;
    const now = Date.parse('2024-01-01T00:00:00Z');
    const fixture = await server((req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { 'retry-after': '3' }).end();
      else if (calls === 2) res.writeHead(503, { 'retry-after': new Date(now + 5000).toUTCString() }).end();
      else res.end(FEED);
    });
    const { http, waits } = client({ now: () => now });
    const response = await http.get({ url: `${fixture.url}/feed` });
    assert.equal(text(response.body), FEED);
    assert.deepEqual(waits, [3000, 5000]);
    assert.equal(fixture.requests.length, 3);
  });

  it('HTTP-06 a Retry-After longer than the cap fails at once with retryAfterMs for the scheduler', async () => {
    const fixture = await server((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' }).end();
    });
    const { http, waits } = client();
    const error = await failure(http.get({ url: `${fixture.url}/feed`, sourceId: 'voa' }));
    assert.equal(error.code, 'http-status');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.sourceId, 'voa');
    assert.deepEqual(waits, []);
    assert.equal(fixture.requests.length, 1);
  });

  it('HTTP-07 retries listed statuses with growing backoff, and never retries a 404', async () => {
    const fixture = await server((req, res) => {
      if (req.url === '/missing') res.writeHead(404).end('no');
      else res.writeHead(502).end('bad gateway');
    });
    const { http, waits } = client({ retries: 2, backoffBaseMs: 1000 });
    const broken = await failure(http.get({ url: `${fixture.url}/broken` }));
    assert.equal(broken.code, 'http-status');
    assert.equal(broken.status, 502);
    // Equal jitter with random() = 0.5: 1000 → 750, then 2000 → 1500.
    assert.deepEqual(waits, [750, 1500]);
    assert.equal(fixture.requests.filter((request) => request.url === '/broken').length, 3);

    const missing = await failure(http.get({ url: `${fixture.url}/missing` }));
    assert.equal(missing.code, 'http-status');
    assert.equal(missing.status, 404);
    assert.match(missing.message, /^fetch: .*\/missing: HTTP 404/);
    assert.equal(fixture.requests.filter((request) => request.url === '/missing').length, 1);
  });

  it('HTTP-08 a connection reset and a body cut short are retried', async () => {
    const calls = new Map<string, number>();
    const fixture = await server((req, res) => {
      const call = (calls.get(req.url ?? '') ?? 0) + 1;
      calls.set(req.url ?? '', call);
      if (call > 1) res.end(FEED);
      else if (req.url === '/reset') req.socket.destroy();
      else {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('<rss>');
        setImmediate(() => req.socket.destroy());
      }
    });
    const { http, waits } = client();
    assert.equal(text((await http.get({ url: `${fixture.url}/reset` })).body), FEED);
    assert.equal(text((await http.get({ url: `${fixture.url}/short` })).body), FEED);
    assert.equal(waits.length, 2);
    assert.deepEqual([...calls.values()], [2, 2]);
  });

  it('HTTP-09 a slow body and slow headers time out', async () => {
    const fixture = await server(async (req, res) => {
      if (req.url === '/slow-headers') {
        await delay(2000);
        if (!res.destroyed) res.end('late');
        return;
      }
      res.writeHead(200);
      while (!res.destroyed) {
        res.write('<item/>');
        await delay(50);
      }
    });
    const { http } = client({ timeoutSeconds: 0.3, retries: 0 });
    const body = await failure(http.get({ url: `${fixture.url}/slow-body` }));
    assert.equal(body.code, 'timeout');
    const { http: impatient } = client({ firstByteTimeoutMs: 100, retries: 0 });
    const headers = await failure(impatient.get({ url: `${fixture.url}/slow-headers` }));
    assert.equal(headers.code, 'timeout');
  });

  it('HTTP-10 a body over the cap is cut off: the server sees the connection closed early', async () => {
    const total = 50 * 1024 * 1024;
    let written = 0;
    let reportClose: (early: boolean) => void = () => undefined;
    const serverClosed = new Promise<boolean>((resolve) => {
      reportClose = resolve;
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const fixture = await server(async (req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(total) });
        res.write(chunk);
        return;
      }
      res.writeHead(200);
      res.on('close', () => reportClose(written < total));
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
    });
    const { http } = client({ maxBytes: 1024 * 1024 });
    const error = await failure(http.get({ url: `${fixture.url}/huge` }));
    assert.equal(error.code, 'too-large');
    assert.ok(await serverClosed, 'the server should see the connection closed before it finished');
    assert.ok(written < total / 2, `server wrote ${written} bytes`);

    const declared = await failure(http.get({ url: `${fixture.url}/declared` }));
    assert.equal(declared.code, 'too-large');
    const perRequest = await failure(createHttpClientFor(fixture).get({ url: `${fixture.url}/huge`, maxBytes: 10 }));
    assert.equal(perRequest.code, 'too-large');
  });

  it('HTTP-11 a decompression bomb stops at the cap on the decompressed size', async () => {
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    const bomb = zlib.gzipSync(zeros, { level: 1 });
    const brBomb = zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
    // Both fit under the cap as sent, so only the decompressed count can stop them.
    assert.ok(bomb.length < 1024 * 1024 && brBomb.length < 1024 * 1024);
    const fixture = await server((req, res) => {
      const br = req.url === '/br';
      res.writeHead(200, { 'content-encoding': br ? 'br' : 'gzip' }).end(br ? brBomb : bomb);
    });
    const { http } = client({ maxBytes: 1024 * 1024 });
    assert.equal((await failure(http.get({ url: `${fixture.url}/gzip` }))).code, 'too-large');
    assert.equal((await failure(http.get({ url: `${fixture.url}/br` }))).code, 'too-large');
  });

  it('HTTP-12 global and per-host limits hold, observed on the server', async () => {
    const active = new Map<string, number>();
    const peaks = new Map<string, number>();
    const fixture = await server(async (req, res) => {
      const host = String(req.headers.host).split(':')[0] ?? '';
      active.set(host, (active.get(host) ?? 0) + 1);
      peaks.set(host, Math.max(peaks.get(host) ?? 0, active.get(host) ?? 0));
      await delay(40);
      active.set(host, (active.get(host) ?? 1) - 1);
      res.end('ok');
    });
    const { http } = client({
      concurrency: 3,
      perHost: 2,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const hosts = ['a.test', 'b.test', 'c.test'];
    await Promise.all(
      hosts.flatMap((host) => [1, 2, 3, 4].map((n) => http.get({ url: `http://${host}:${fixture.port}/item/${n}` }))),
    );
    assert.equal(fixture.requests.length, 12);
    assert.ok(fixture.maxConcurrent() <= 3, `global peak ${fixture.maxConcurrent()}`);
    for (const host of hosts) assert.ok((peaks.get(host) ?? 0) <= 2, `${host} peak ${peaks.get(host)}`);
    assert.ok(fixture.maxConcurrent() >= 2, 'requests should overlap at all');
  });

  it('HTTP-13 one request in flight per URL: concurrent gets share one fetch', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fixture = await server(async (_req, res) => {
      await gate;
      res.end(FEED);
    });
    const { http } = client();
    const url = `${fixture.url}/shared`;
    const first = http.get({ url });
    const second = http.get({ url });
    const conditional = http.get({ url, etag: '"other"' });
    await delay(50);
    release();
    const [a, b] = await Promise.all([first, second, conditional]);
    assert.equal(text(a?.body ?? new Uint8Array()), FEED);
    assert.equal(a, b);
    assert.equal(fixture.requests.length, 2, 'the conditional GET is a different question');
    await http.get({ url });
    assert.equal(fixture.requests.length, 3, 'nothing is cached once the request is done');
  });

  it('HTTP-24 a caller abort stops the request without retries and without cancelling other callers', async () => {
    const fixture = await server(async (_req, res) => {
      await delay(100);
      if (!res.destroyed) res.end(FEED);
    });
    const { http, waits } = client();
    const url = `${fixture.url}/slow`;
    const controller = new AbortController();
    const aborted = http.get({ url, signal: controller.signal });
    const patient = http.get({ url });
    await delay(20);
    controller.abort();
    const error = await failure(aborted);
    assert.equal(error.code, 'network');
    assert.match(error.message, /aborted by the caller/);
    assert.equal(text((await patient).body), FEED);
    assert.deepEqual(waits, []);
  });

  it('HTTP-14 challenge pages are recognised and not retried', async () => {
    const fixture = await server((req, res) => {
      if (req.url === '/cf') {
        res.writeHead(503, { 'content-type': 'text/html', server: 'cloudflare' });
        res.end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>');
      } else {
        res.writeHead(403, { 'cf-mitigated': 'challenge' }).end('');
      }
    });
    const { http, waits } = client();
    const cf = await failure(http.get({ url: `${fixture.url}/cf` }));
    assert.equal(cf.code, 'challenge-page');
    assert.equal(cf.status, 503);
    assert.equal((await failure(http.get({ url: `${fixture.url}/header` }))).code, 'challenge-page');
    assert.deepEqual(waits, []);
  });

  it('HTTP-15 refuses private addresses unless allowed: literal IPs and names resolving to them', async () => {
    const fixture = await server((_req, res) => res.end('secret'));
    const strict = createHttpClient({ env: {}, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    clients.push(strict);
    const literal = await failure(strict.get({ url: `${fixture.url}/admin` }));
    assert.equal(literal.code, 'private-address');
    const named = await failure(strict.get({ url: `http://intranet.test:${fixture.port}/admin` }));
    assert.equal(named.code, 'private-address');
    assert.equal(fixture.requests.length, 0);

    const mapped = await failure(strict.get({ url: `http://[::ffff:7f00:1]:${fixture.port}/admin` }));
    assert.equal(mapped.code, 'private-address');
  });

  it('HTTP-16 a redirect to a private address is refused (checked on every hop)', async () => {
    const fixture = await server((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: `http://127.0.0.1:${fixture.port}/admin` }).end();
      else if (req.url === '/to-name') res.writeHead(302, { location: `http://intranet.test:${fixture.port}/admin` }).end();
      else res.end('secret');
    });
    // The proxy dials public.test at 127.0.0.1; our own resolution says it is public, so only the
    // redirect target can trip the check.
    const proxy = await startProxy({ hosts: { 'public.test': '127.0.0.1', 'intranet.test': '127.0.0.1' } });
    servers.push(proxy);
    const addresses: Record<string, string> = { 'public.test': '93.184.216.34', 'intranet.test': '10.1.2.3' };
    const strict = createHttpClient({
      env: {},
      proxy: proxy.url,
      resolve: async (name) => [{ address: addresses[name] ?? '203.0.113.1', family: 4 }],
      sleep: async () => undefined,
    });
    clients.push(strict);
    assert.equal((await failure(strict.get({ url: `http://public.test:${fixture.port}/start` }))).code, 'private-address');
    assert.equal((await failure(strict.get({ url: `http://public.test:${fixture.port}/to-name` }))).code, 'private-address');
    assert.deepEqual(
      fixture.requests.map((request) => request.url),
      ['/start', '/to-name'],
    );
  });

  it('HTTP-17 uses the configured proxy, HTTP_PROXY from the environment, and honours NO_PROXY', async () => {
    const fixture = await server((_req, res) => res.end(FEED));
    const proxy = await startProxy();
    servers.push(proxy);

    const { http: configured } = client({ proxy: proxy.url });
    assert.equal(text((await configured.get({ url: `${fixture.url}/one` })).body), FEED);
    assert.deepEqual(proxy.requests.map((request) => [request.method, request.url]), [['GET', `${fixture.url}/one`]]);

    const { http: fromEnv } = client({ env: { HTTP_PROXY: proxy.url } });
    await fromEnv.get({ url: `${fixture.url}/two` });
    assert.equal(proxy.requests.length, 2);

    const { http: bypass } = client({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org, 127.0.0.1' } });
    await bypass.get({ url: `${fixture.url}/three` });
    assert.equal(proxy.requests.length, 2, 'NO_PROXY host must bypass the proxy');
    assert.deepEqual(fixture.requests.map((request) => request.url), ['/one', '/two', '/three']);
  });

  it('HTTP-18 proxy credentials are used and never appear in error messages', async () => {
    const fixture = await server((_req, res) => res.end(FEED));
    const proxy = await startProxy({ auth: { user: 'alice', pass: 'hunter2secret' } });
    servers.push(proxy);
    const withAuth = proxy.url.replace('http://', 'http://alice:hunter2secret@');
    const { http } = client({ proxy: withAuth });
    assert.equal(text((await http.get({ url: `${fixture.url}/feed` })).body), FEED);

    const wrong = proxy.url.replace('http://', 'http://alice:wrongsecret@');
    const { http: denied } = client({ proxy: wrong, retries: 0 });
    const error = await failure(denied.get({ url: `${fixture.url}/feed` }));
    assert.equal(error.code, 'proxy');
    assertNoSecret(error, 'wrongsecret');

    const { http: unreachable } = client({ proxy: 'http://bob:pa55word@127.0.0.1:1', retries: 0 });
    const refused = await failure(unreachable.get({ url: `${fixture.url}/feed` }));
    assert.equal(refused.code, 'proxy');
    assertNoSecret(refused, 'pa55word');
  });

  it('HTTP-19 credentials in the target URL never appear in error messages', async () => {
    const fixture = await server((_req, res) => res.writeHead(404).end());
    const { http } = client();
    const url = fixture.url.replace('http://', 'http://reader:t0psecret@');
    const error = await failure(http.get({ url: `${url}/feed?token=abc123`, sourceId: 'bbc' }));
    assert.equal(error.code, 'http-status');
    assertNoSecret(error, 't0psecret');
    assertNoSecret(error, 'abc123');
    assert.match(error.url ?? '', /\*\*\*@127\.0\.0\.1/);
    // The credentials themselves went to the server as Basic auth, not into the request line.
    assert.equal(fixture.requests[0]?.headers.authorization, `Basic ${Buffer.from('reader:t0psecret').toString('base64')}`);
    assert.equal(fixture.requests[0]?.url, '/feed?token=abc123');
  });

  it('HTTP-20 maps bad URLs, refused connections, DNS failures and TLS failures to stable codes', async () => {
    const { http } = client({
      retries: 0,
      resolve: async (name) => {
        if (name === 'feed.test') return [{ address: '127.0.0.1', family: 4 }];
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      },
    });
    assert.equal((await failure(http.get({ url: 'ftp://example.org/feed' }))).code, 'bad-url');
    assert.equal((await failure(http.get({ url: 'not a url' }))).code, 'bad-url');
    assert.equal((await failure(http.get({ url: 'http://127.0.0.1:1/feed' }))).code, 'connect');
    assert.equal((await failure(http.get({ url: 'http://no-such-host.test/feed' }))).code, 'dns');

    const tlsServer = https.createServer(
      {
        key: readFileSync(new URL('./fixtures/self-signed-key.pem', import.meta.url)),
        cert: readFileSync(new URL('./fixtures/self-signed-cert.pem', import.meta.url)),
      },
      (_req, res) => res.end(FEED),
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => tlsServer.close(() => resolve())) });
    const port = (tlsServer.address() as AddressInfo).port;
    const tls = await failure(http.get({ url: `https://feed.test:${port}/feed` }));
    assert.equal(tls.code, 'tls');

    // https through a proxy goes through a CONNECT tunnel; TLS is still checked end to end.
    const proxy = await startProxy({ hosts: { 'feed.test': '127.0.0.1' } });
    servers.push(proxy);
    const { http: proxied } = client({ proxy: proxy.url, retries: 0 });
    const tunnelled = await failure(proxied.get({ url: `https://feed.test:${port}/feed` }));
    assert.equal(tunnelled.code, 'tls');
    assert.deepEqual(proxy.requests.map((request) => [request.method, request.url]), [['CONNECT', `feed.test:${port}`]]);
  });

  it('HTTP-21 refuses a get after close', async () => {
    const { http } = client();
    await http.close();
    assert.equal((await failure(http.get({ url: 'http://127.0.0.1:1/' }))).code, 'internal');
  });
});

describe('createHttpClient configuration', () => {
  it('HTTP-22 rejects an unusable proxy setting without leaking its password', () => {
    assert.throws(
      () => createHttpClient({ proxy: 'ftp://user:hidden@proxy.example:21', env: {} }),
      (error: unknown) => error instanceof NewsmirrorError && error.code === 'proxy' && error.stage === 'config' && !error.message.includes('hidden'),
    );
  });
});

function createHttpClientFor(_fixture: FixtureServer): HttpClient {
  const http = createHttpClient({ allowPrivateNetworks: true, env: {}, retries: 0 });
  clients.push(http);
  return http;
}

function assertNoSecret(error: NewsmirrorError, secret: string): void {
  assert.ok(!error.message.includes(secret), `message leaks the secret: ${error.message}`);
  assert.ok(!(error.url ?? '').includes(secret), `url leaks the secret: ${error.url}`);
  assert.ok(!String(error.stack).includes(secret), 'stack leaks the secret');
  assert.ok(!(error.hint ?? '').includes(secret), 'hint leaks the secret');
}

describe('SOCKS5 proxy', () => {
  it('HTTP-23 fetches through socks5:// with the host name resolved by the proxy, credentials kept out of errors', async () => {
    const fixture = await server((_req, res) => res.end(FEED));
    const socks = await startSocksProxy({ auth: { user: 'carol', pass: 's0cks' }, hosts: { 'feed.test': '127.0.0.1' } });
    servers.push(socks);
    const withAuth = socks.url.replace('socks5://', 'socks5://carol:s0cks@');
    const { http } = client({ proxy: withAuth, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const response = await http.get({ url: `http://feed.test:${fixture.port}/feed` });
    assert.equal(text(response.body), FEED);
    assert.deepEqual(socks.connects, [`feed.test:${fixture.port}`]);

    const { http: denied } = client({ proxy: socks.url.replace('socks5://', 'socks5://carol:wr0ng@'), retries: 0 });
    const error = await failure(denied.get({ url: `${fixture.url}/feed` }));
    assert.equal(error.code, 'proxy');
    assertNoSecret(error, 'wr0ng');
  });
});
