/**
 * The one module that imports the PostgreSQL driver (`pg`, node-postgres; docs/decisions.md says why).
 * Every PostgreSQL adapter (store, media state) talks to the database through `PgClient`: plain SQL
 * with `$1` parameters, one pooled connection per transaction. Swapping the driver touches this file only.
 */
import pg from 'pg';
import { NewsmirrorError, classifyEnvironmentError, environmentProblem, errorMessage, type Stage } from '../../../core/errors.js';

/** PgScalar is one value of a query parameter (bytes go to `bytea`). */
export type PgScalar = string | number | boolean | null | Uint8Array;

/** PgValue is what a query parameter may be: arrays go to PostgreSQL as arrays (`= ANY($1)`, `unnest`). */
export type PgValue = PgScalar | readonly PgScalar[];

/** PgQueryable runs one statement and returns its rows. */
export interface PgQueryable {
  query<Row extends object>(text: string, params?: readonly PgValue[]): Promise<Row[]>;
  /** execute runs a statement for its effect and returns how many rows it touched. */
  execute(text: string, params?: readonly PgValue[]): Promise<number>;
}

/** PgSession is one connection held until `release`: session state such as an advisory lock lives on it. */
export interface PgSession extends PgQueryable {
  release(): void;
}

/** PgClient is a connection pool: single statements, transactions, held sessions, and close. */
export interface PgClient extends PgQueryable {
  /** session takes one connection out of the pool until released (it counts against `maxConnections`). */
  session(): Promise<PgSession>;
  /**
   * transaction runs `work` on one connection between BEGIN and COMMIT; a throw rolls back and
   * is rethrown.
   */
  transaction<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PgClientOptions configures `connectPostgres`. */
export interface PgClientOptions {
  /** Schema that unqualified names resolve to (`search_path`); default: the server's. */
  schema?: string;
  /** Connections in the pool (default 4). */
  maxConnections?: number;
  /** Stage named by the errors of this client. */
  stage?: Stage;
}

const INT8_OID = 20;

// The socket errors of a connection that never reached the server: the machine's problem, exit 3.
const CONNECT_ERRNO = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

// Epoch ms and counts are int8; they fit a double exactly up to 2^53, far beyond any date we store.
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * connectPostgres opens a pool on `url` (`postgres://user@host:port/db`). It connects lazily: the
 * first query reports an unreachable server. Every driver error becomes a `store` NewsmirrorError
 * whose message carries PostgreSQL's and whose cause is the driver's error (its `code` is the SQLSTATE).
 *
 * @example
 * const db = connectPostgres('postgres://newsmirror@127.0.0.1/newsmirror', { schema: 'newsmirror' });
 */
export function connectPostgres(url: string, options: PgClientOptions = {}): PgClient {
  const stage = options.stage ?? 'store';
  const config: pg.PoolConfig = { connectionString: url, max: options.maxConnections ?? 4, types: TYPES };
  if (options.schema !== undefined) config.options = `-c search_path=${quoteIdentifier(options.schema)}`;
  const pool = new pg.Pool(config);
  // An idle pooled connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const fail = (error: unknown): never => {
    if (error instanceof NewsmirrorError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    const problem = typeof code === 'string' && CONNECT_ERRNO.has(code) ? environmentProblem('store-unreachable') : classifyEnvironmentError(error);
    if (problem !== undefined) {
      throw new NewsmirrorError(problem.code, stage, `postgres: ${errorMessage(error)} (${problem.reason})`, { cause: error, hint: problem.hint });
    }
    throw new NewsmirrorError('store', stage, `postgres: ${errorMessage(error)}`, { cause: error });
  };
  const on = (runner: pg.Pool | pg.PoolClient): PgQueryable => ({
    async query<Row extends object>(text: string, params: readonly PgValue[] = []): Promise<Row[]> {
      try {
        return (await runner.query<Row>(text, params as unknown[])).rows;
      } catch (error) {
        return fail(error);
      }
    },
    async execute(text: string, params: readonly PgValue[] = []): Promise<number> {
      try {
        return (await runner.query(text, params as unknown[])).rowCount ?? 0;
      } catch (error) {
        return fail(error);
      }
    },
  });
  let closed = false;
  return {
    ...on(pool),
    async session(): Promise<PgSession> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return fail(error);
      }
      // A held connection the server drops reports through its queries; the event must not crash the process.
      client.on('error', () => undefined);
      // Destroyed rather than returned: session state (an advisory lock) must never outlive the holder.
      return { ...on(client), release: () => client.release(true) };
    },
    async transaction<T>(work: (tx: PgQueryable) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return fail(error);
      }
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError;
        }
        return fail(error);
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** quoteIdentifier quotes a schema or table name for SQL text (doubling any double quote). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
