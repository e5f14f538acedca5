/**
 * mapLimit runs `task` over `items` with at most `limit` in flight (at least one) and keeps the order
 * of results. The first rejection rejects the returned promise; the other workers carry on with the
 * items that are left.
 *
 * @example
 * const pages = await mapLimit(urls, 4, (url) => fetchPage(url));
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** WriteWindow lets writes run without waiting for each, at most `limit` at once; `drain` waits for all. */
export interface WriteWindow {
  /** Starts the write once fewer than `limit` wait; throws the first failure of an earlier write. */
  add(write: () => Promise<unknown>): Promise<void>;
  /** Waits for every write started, then throws the first failure, if any. */
  drain(): Promise<void>;
}

/**
 * writeWindow starts writes (or any tasks) as they come, with at most `limit` in flight, where
 * mapLimit needs the whole list first. The first failure is thrown by the next `add` or by `drain`.
 *
 * @example
 * const writes = writeWindow(256);
 * for (const file of files) await writes.add(() => archive.write(file.path, file.content));
 * await writes.drain();
 */
export function writeWindow(limit: number): WriteWindow {
  let waiting = 0;
  let failure: { cause: unknown } | undefined;
  const freed: (() => void)[] = [];
  const drained: (() => void)[] = [];
  const settled = (): void => {
    waiting--;
    freed.shift()?.();
    if (waiting === 0) for (const resolve of drained.splice(0)) resolve();
  };
  const check = (): void => {
    if (failure) throw failure.cause;
  };
  return {
    async add(write) {
      while (waiting >= limit) await new Promise<void>((resolve) => freed.push(resolve));
      check();
      // Started before it is counted: a write that throws at once (its rendering) is not waited for.
      const started = write();
      waiting++;
      started.then(settled, (cause: unknown) => {
        failure ??= { cause };
        settled();
      });
    },
    async drain() {
      if (waiting > 0) await new Promise<void>((resolve) => drained.push(resolve));
      check();
    },
  };
}
