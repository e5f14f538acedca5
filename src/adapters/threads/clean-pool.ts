/**
 * A BodyCleaner on one worker thread: the import's walk, plan and store stay on the main thread and
 * the cleaning of the next commits runs beside them, on the machine's other core.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NewsmirrorError } from '../../core/errors.js';
import type { BodyCleaner, CleanRequest } from '../../core/import/index.js';

/**
 * openCleanThread starts the cleaning thread. Its answers are exactly `cleanArticle(html, { url,
 * sourceId }).html`. Call `close` when done.
 *
 * @example
 * const cleaner = openCleanThread();
 * const [html] = await cleaner.clean([{ html: '<p>正文</p>', url: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }]);
 * await cleaner.close();
 */
export function openCleanThread(): BodyCleaner {
  const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
  const entry = new URL(`./clean-thread.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // Run from src (tests, benches under tsx), the thread is TypeScript, and Node 20 loads a worker's
  // entry before the --import hooks that would compile it: the thread registers tsx itself first.
  const worker = fromSource
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true })
    : new Worker(entry);
  const waiting = new Map<number, { resolve: (results: (string | undefined)[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  worker.on('message', (message: { id: number; results: (string | null)[] }) => {
    const request = waiting.get(message.id);
    waiting.delete(message.id);
    if (waiting.size === 0) worker.unref();
    request?.resolve(message.results.map((html) => html ?? undefined));
  });
  worker.on('error', (error) => failAll(new NewsmirrorError('internal', 'clean', `cleaning thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', () => failAll(new NewsmirrorError('internal', 'clean', 'cleaning thread ended')));
  // Referenced only while a request waits: an idle thread never keeps the process alive.
  worker.unref();
  return {
    clean(requests: CleanRequest[]) {
      if (failure) return Promise.reject(failure);
      if (requests.length === 0) return Promise.resolve([]);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, requests });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
