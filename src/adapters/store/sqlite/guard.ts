import { classifyEnvironmentError, environmentError, isEnvironmentCode, isNewsmirrorError } from '../../../core/errors.js';

/**
 * guardSqliteErrors wraps every method of a port kept in a SQLite file (the store, the search index,
 * the image state) so that a failure of the machine met on the way (SQLITE_FULL, SQLITE_READONLY,
 * SQLITE_CORRUPT, SQLITE_IOERR…) comes out as a NewsmirrorError with its environment code, the file
 * and a hint, wherever in the port it happened. Other errors pass through untouched.
 *
 * @example
 * const store = guardSqliteErrors(openSqliteStore(file), file);
 */
export function guardSqliteErrors<T extends object>(port: T, file: string): T {
  const classify = (error: unknown): unknown => {
    if (isNewsmirrorError(error) && isEnvironmentCode(error.code)) return error;
    if (classifyEnvironmentError(error) === undefined) return error;
    return environmentError('store', 'store', 'SQLite database', file, error);
  };
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw classify(error);
        }
        if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(classify(error)));
        return result;
      };
    },
  });
}
