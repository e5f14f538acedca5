import { createWebApp, startWebServer } from '../web/index.js';
import type { ReaderContext } from './context.js';

/** createReaderApp builds the web reader over a context's store and search index, as the config says. */
export function createReaderApp(context: ReaderContext): ReturnType<typeof createWebApp> {
  const { config } = context;
  return createWebApp({
    store: context.store,
    search: context.search,
    recheck: context.recheck,
    sources: config.sources.map(({ id, name, url, enabled }) => ({ id, name, url, enabled })),
    timeZone: config.timezone,
    publicBaseUrl: config.server.publicBaseUrl,
    mediaDir: config.media.dir ?? config.archive,
    mediaState: context.mediaState,
    clock: context.clock,
    logger: context.logger,
  });
}

/** startReader serves the web reader over a context (`run`, `serve`), at the config's address unless told another. */
export function startReader(context: ReaderContext, address: { host: string; port: number } = context.config.server): Promise<{ url: string; close(): Promise<void> }> {
  return startWebServer(createReaderApp(context), { host: address.host, port: address.port });
}
