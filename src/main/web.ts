import type { Config } from '../config/index.js';
import type { Logger } from '../core/ports.js';
import { createWebApp, startWebServer } from '../web/index.js';
import type { AppContext } from './context.js';

/** startReader serves the web reader over an open context's store and search index (used by `run`). */
export async function startReader(config: Config, context: AppContext, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
  const app = createWebApp({
    store: context.store,
    search: context.search,
    sources: config.sources.map(({ id, name, url, enabled }) => ({ id, name, url, enabled })),
    timeZone: config.timezone,
    publicBaseUrl: config.server.publicBaseUrl,
    mediaDir: config.media.dir ?? config.archive,
    clock: context.deps.clock,
    logger,
  });
  return startWebServer(app, { host: config.server.host, port: config.server.port });
}
