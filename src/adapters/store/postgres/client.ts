/**
 * The one module that imports the PostgreSQL driver (`pg`, node-postgres; docs/decisions.md says why).
 * Every PostgreSQL adapter (store, media state) talks to the database through `PgClient`: plain SQL
 * with `$1` parameters, one pooled connection per transaction. Swapping the driver touches this file only.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { NewsmirrorError, classifyEnvironmentError, environmentProblem, errorMessage, type Stage } from '../../../core/errors.js';

/** PgScalar is one value of a query parameter (bytes go to `bytea`). */
export type PgScalar = string | number | boolean | null | Uint8Array;

/** PgValue is what a query parameter may be: arrays go to PostgreSQL as arrays (`= ANY($1)`, `unnest`). */
export type PgValue = PgScalar | readonly PgScalar[];

/**
 * PgPrepared is a statement that each connection parses once and keeps (see `prepared`).
 */
export interface PgPrepared {
  readonly name: string;
  readonly text: string;
}

/** PgStatement is a statement's SQL text, or the text prepared once per connection. */
export type PgStatement = string | PgPrepared;

/** PgQueryable runs one statement and returns its rows. */
export interface PgQueryable {
  query<Row extends object>(statement: PgStatement, params?: readonly PgValue[]): Promise<Row[]>;
  /** execute runs a statement for its effect and returns how many rows it touched. */
  execute(statement: PgStatement, params?: readonly PgValue[]): Promise<number>;
}

/**
 * prepared names a statement after its text, so that each connection parses and analyses it once
 * and the server may plan it once too (a generic plan after five runs, where that plan costs no
 * more than the custom ones). For the statements every sync repeats; not for those whose plan
 * depends on a parameter's value (a long array for `= ANY`, a `$1 IS NULL OR …` filter).
 *
 * @example
 * const READ_STATE = prepared('SELECT * FROM sources WHERE source_id = $1');
 * await db.query(READ_STATE, [sourceId]);
 */
export function prepared(text: string): PgPrepared {
  let statement = PREPARED.get(text);
  if (statement === undefined) {
    statement = { name: `newsmirror_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
    PREPARED.set(text, statement);
  }
  return statement;
}

// The statements' texts are the code's own constants (and their few combinations), so this stays small.
const PREPARED = new Map<string, PgPrepared>();

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
    async query<Row extends object>(statement: PgStatement, params: readonly PgValue[] = []): Promise<Row[]> {
      try {
        return (await runner.query<Row>(toConfig(statement, params))).rows;
      } catch (error) {
        return fail(error);
      }
    },
    async execute(statement: PgStatement, params: readonly PgValue[] = []): Promise<number> {
      try {
        return (await runner.query(toConfig(statement, params))).rowCount ?? 0;
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

function toConfig(statement: PgStatement, params: readonly PgValue[]): pg.QueryConfig {
  const values = params as unknown[];
  return typeof statement === 'string' ? { text: statement, values } : { name: statement.name, text: statement.text, values };
}

/** quoteIdentifier quotes a schema or table name for SQL text (doubling any double quote). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
