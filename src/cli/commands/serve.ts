import { NewsmirrorError } from '../../core/errors.js';
import { openReaderContext } from '../../main/context.js';
import { startReader } from '../../main/web.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command, type CommandArgs, type CommandIO } from '../io.js';

/** listenAddress reads --host / --port over the config's `server` section. */
export function listenAddress(args: CommandArgs, server: { host: string; port: number }): { host: string; port: number } {
  const host = typeof args.flags.host === 'string' && args.flags.host !== '' ? args.flags.host : server.host;
  const rawPort = args.flags.port;
  if (rawPort === undefined) return { host, port: server.port };
  if (typeof rawPort !== 'string' || !/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65_535) {
    throw new NewsmirrorError('usage', 'cli', `--port must be a number from 0 to 65535, not ${JSON.stringify(rawPort)}`);
  }
  return { host, port: Number(rawPort) };
}

/**
 * serveCommand serves the web reader (pages, API, feeds, health, liveness, metrics) from the store until SIGINT or
 * SIGTERM. It only reads: run `sync` (or `run`) to fetch.
 */
export const serveCommand: Command = {
  summary: 'serve the web reader, JSON API, full-text feeds, /health, /healthz and /metrics from the store',
  usage: 'newsmirror serve [--config FILE] [--host 127.0.0.1] [--port 8080]',
  async run(args, io) {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await serveUntil(args, io, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/** serveUntil is `serve` with the stop condition injected (the command passes SIGINT/SIGTERM). */
export async function serveUntil(args: CommandArgs, io: CommandIO, signal: AbortSignal): Promise<number> {
  const config = await loadConfig(args);
  const address = listenAddress(args, config.server);
  const context = await openReaderContext(config, shellPorts(io, args));
  try {
    const server = await startReader(context, address);
    io.stdout.write(`newsmirror: serving ${server.url}/ (Ctrl-C to stop)\n`);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await server.close();
    return EXIT.OK;
  } finally {
    await context.close();
  }
}
