/**
 * The plumbing of newsmirror's worker threads: a thread started from this folder, numbered requests
 * answered in any order, and a thread's failure turned back into the NewsmirrorError it threw.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';
import { NewsmirrorError, isNewsmirrorError, type ErrorCode, type Stage } from '../../core/errors.js';

/** ThreadClient sends requests to one thread and receives its answers. */
export interface ThreadClient<Request, Answer> {
  call(request: Request): Promise<Answer>;
  /** Ends the thread; requests still waiting are rejected. */
  close(): Promise<void>;
}

interface ThreadError {
  code: ErrorCode;
  /** The stage of a NewsmirrorError; any other error is the client's stage. */
  stage?: Stage;
  message: string;
  hint?: string;
}

type Reply<Answer> = { id: number; ok: true; value: Answer } | { id: number; ok: false; error: ThreadError };

/**
 * startThread starts the thread whose body is `<name>.ts` (or `.js`, from dist) in this folder, with
 * `workerData`. The thread is referenced only while a request waits, so an idle one never keeps the
 * process alive.
 */
export function startThread<Request, Answer>(name: string, stage: Stage, workerData?: unknown): ThreadClient<Request, Answer> {
  const fromSource = extname(fileURLToPath(import.meta.url)) === '.ts';
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  // Run from src (tests, benches under tsx), the thread is TypeScript, and Node 20 loads a worker's
  // entry before the --import hooks that would compile it: the thread registers tsx itself first.
  const worker = fromSource
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true, workerData })
    : new Worker(entry, { workerData });
  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  worker.on('message', (reply: Reply<Answer>) => {
    const request = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref();
    if (reply.ok) request?.resolve(reply.value);
    else request?.reject(new NewsmirrorError(reply.error.code, reply.error.stage ?? stage, reply.error.message, reply.error.hint === undefined ? {} : { hint: reply.error.hint }));
  });
  worker.on('error', (error) => failAll(new NewsmirrorError('internal', stage, `${name} failed: ${error.message}`, { cause: error })));
  worker.on('exit', () => failAll(new NewsmirrorError('internal', stage, `${name} ended`)));
  worker.unref();
  return {
    call(request) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<Answer>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, request });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/**
 * serveThread answers the requests of a thread's client with `handle`, run one at a time or, when it
 * is async, several at once. A NewsmirrorError it throws reaches the caller with its code and stage.
 */
export function serveThread<Request, Answer>(handle: (request: Request) => Answer | Promise<Answer>): void {
  parentPort?.on('message', (message: { id: number; request: Request }) => {
    Promise.resolve()
      .then(() => handle(message.request))
      .then(
        (value) => parentPort?.postMessage({ id: message.id, ok: true, value } satisfies Reply<Answer>),
        (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, error: threadError(error) } satisfies Reply<Answer>),
      );
  });
}

// The NewsmirrorError's message without the `<stage>: ` its constructor put in front (the client's adds it again).
function threadError(error: unknown): ThreadError {
  if (!isNewsmirrorError(error)) return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  const prefix = `${error.stage}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return { code: error.code, stage: error.stage, message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
}
