import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** RecordedRequest is what a fixture server or proxy saw of one request. */
export interface RecordedRequest {
  method: string;
  /** Request target as sent: a path for a server, an absolute URL or `host:port` (CONNECT) for a proxy. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** FixtureServer is a running local HTTP server; close it in an `after` hook or `t.after`. */
export interface FixtureServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Number of TCP connections accepted so far. */
  connections(): number;
  /** Highest number of requests being handled at the same time (a response not yet finished or closed). */
  maxConcurrent(): number;
  /** Closes the server and every connection still open. */
  close(): Promise<void>;
}

/** Handler answers one request; it may be async, and its return value is ignored (so `(req, res) => res.end()` works). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * startServer starts a node:http server on 127.0.0.1 on a free port, records every request and
 * counts concurrent requests, so tests can assert on what the client really sent.
 * A handler that throws answers 500 with the error text.
 *
 * @example
 * const server = await startServer((req, res) => res.end('<rss/>'));
 * t.after(() => server.close());
 * await fetchSomething(`${server.url}/feed.xml`);
 * assert.equal(server.requests[0]?.headers['if-none-match'], '"v1"');
 */
export async function startServer(handler: Handler): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let active = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    active += 1;
    peak = Math.max(peak, active);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      active -= 1;
    };
    res.on('finish', finish);
    res.on('close', finish);
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    maxConcurrent: () => peak,
    close: () => closeServer(server, sockets),
  };
}

/** ProxyOptions configures startProxy. */
export interface ProxyOptions {
  /** When set, requests must carry `Proxy-Authorization: Basic base64(user:pass)` or get 407. */
  auth?: { user: string; pass: string };
  /**
   * Where to really connect for a host name (`feed.test` → `127.0.0.1`), so tests can use
   * made-up public-looking names; names not listed are dialled as they are.
   */
  hosts?: Record<string, string>;
}

/** FixtureProxy is a running local HTTP proxy. */
export interface FixtureProxy {
  /** Proxy URL, e.g. `http://127.0.0.1:41235`. */
  url: string;
  port: number;
  /** Every request the proxy received: CONNECT tunnels and forwarded absolute-form requests. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * startProxy starts a tiny HTTP proxy on 127.0.0.1: CONNECT opens a TCP tunnel (what clients use
 * for https://), and an absolute-form request (`GET http://host/path`) is forwarded as plain HTTP.
 * It records each request so tests can prove the proxy was (or was not) used.
 */
export async function startProxy(options: ProxyOptions = {}): Promise<FixtureProxy> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const expected =
    options.auth === undefined ? undefined : `Basic ${Buffer.from(`${options.auth.user}:${options.auth.pass}`).toString('base64')}`;
  const authorized = (headers: IncomingHttpHeaders): boolean =>
    expected === undefined || headers['proxy-authorization'] === expected;
  const realHost = (host: string): string => options.hosts?.[host] ?? host;

  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '', headers: req.headers });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="fixture"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: realHost(target.hostname), port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers });
    client.on('error', () => undefined);
    if (!authorized(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="fixture"\r\n\r\n');
      return;
    }
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = net.connect(Number(port), realHost(host.replace(/^\[|\]$/g, '')), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, requests, close: () => closeServer(server, sockets) };
}

/** FixtureSocksProxy is a running local SOCKS5 proxy. */
export interface FixtureSocksProxy {
  /** Proxy URL, e.g. `socks5://127.0.0.1:41236`. */
  url: string;
  port: number;
  /** Every CONNECT the proxy was asked for, as `host:port` (host names as sent, not resolved). */
  connects: string[];
  close(): Promise<void>;
}

/**
 * startSocksProxy starts a minimal SOCKS5 proxy (RFC 1928, CONNECT only) on 127.0.0.1, with
 * optional username/password authentication (RFC 1929). `hosts` maps names to where to really
 * connect, as in startProxy.
 */
export async function startSocksProxy(options: ProxyOptions = {}): Promise<FixtureSocksProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'piping' = 'greeting';
    const onData = (data: Buffer): void => {
      buffered = Buffer.concat([buffered, data]);
      for (;;) {
        if (stage === 'greeting') {
          const count = buffered[1];
          if (count === undefined || buffered.length < 2 + count) return;
          const methods = [...buffered.subarray(2, 2 + count)];
          buffered = buffered.subarray(2 + count);
          const wanted = options.auth === undefined ? 0x00 : 0x02;
          if (!methods.includes(wanted)) {
            client.end(Buffer.from([0x05, 0xff]));
            return;
          }
          client.write(Buffer.from([0x05, wanted]));
          stage = options.auth === undefined ? 'request' : 'auth';
        } else if (stage === 'auth') {
          const userLength = buffered[1];
          const passLength = userLength === undefined ? undefined : buffered[2 + userLength];
          if (userLength === undefined || passLength === undefined || buffered.length < 3 + userLength + passLength) return;
          const user = buffered.subarray(2, 2 + userLength).toString();
          const pass = buffered.subarray(3 + userLength, 3 + userLength + passLength).toString();
          buffered = buffered.subarray(3 + userLength + passLength);
          const ok = user === options.auth?.user && pass === options.auth.pass;
          client.write(Buffer.from([0x01, ok ? 0x00 : 0x01]));
          if (!ok) {
            client.end();
            return;
          }
          stage = 'request';
        } else if (stage === 'request') {
          const target = parseSocksRequest(buffered);
          if (target === undefined) return;
          stage = 'piping';
          client.off('data', onData);
          connects.push(`${target.host}:${target.port}`);
          const rest = buffered.subarray(target.length);
          const upstream = net.connect(target.port, options.hosts?.[target.host] ?? target.host, () => {
            client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
            if (rest.length > 0) upstream.write(rest);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])));
          sockets.add(upstream);
          upstream.on('close', () => sockets.delete(upstream));
          return;
        } else {
          return;
        }
      }
    };
    client.on('data', onData);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseSocksRequest(buffer: Buffer): { host: string; port: number; length: number } | undefined {
  const type = buffer[3];
  if (buffer.length < 5 || type === undefined) return undefined;
  let host: string;
  let offset: number;
  if (type === 0x01) {
    offset = 4 + 4;
    if (buffer.length < offset + 2) return undefined;
    host = [...buffer.subarray(4, 8)].join('.');
  } else if (type === 0x03) {
    const length = buffer[4] ?? 0;
    offset = 5 + length;
    if (buffer.length < offset + 2) return undefined;
    host = buffer.subarray(5, offset).toString();
  } else {
    offset = 4 + 16;
    if (buffer.length < offset + 2) return undefined;
    const groups: string[] = [];
    for (let index = 4; index < offset; index += 2) groups.push(buffer.readUInt16BE(index).toString(16));
    host = groups.join(':');
  }
  return { host, port: buffer.readUInt16BE(offset), length: offset + 2 };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: http.Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
