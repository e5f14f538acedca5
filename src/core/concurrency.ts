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
