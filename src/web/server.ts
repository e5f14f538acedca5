import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { NewsmirrorError } from '../core/errors.js';

/** RunningServer is a listening web server: where it answers and how to stop it. */
export interface RunningServer {
  /** `http://host:port` with the port actually bound (useful with port 0). */
  url: string;
  close(): Promise<void>;
}

/**
 * startWebServer serves an app (from `createWebApp`) over HTTP on Node and resolves once it
 * listens. Port 0 picks a free port. Fails with a `usage` error when the address is taken.
 */
export function startWebServer(app: { fetch: (request: Request) => Response | Promise<Response> }, options: { host: string; port: number }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (request: Request) => app.fetch(request), hostname: options.host, port: options.port }, (info: AddressInfo) => {
      server.off('error', onError);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    const onError = (error: Error): void => {
      reject(new NewsmirrorError('usage', 'web', `cannot listen on ${options.host}:${options.port}: ${error.message}`, { cause: error }));
    };
    server.once('error', onError);
  });
}
