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
