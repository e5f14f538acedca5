/**
 * The one way tests find a PostgreSQL server: `NEWSMIRROR_TEST_POSTGRES` (a `postgres://` URL, set by
 * `eval "$(test/scripts/pg-cluster.sh start)"` and by `.ci/run`). Without it the PostgreSQL tests are
 * skipped and `npm test` ends with one line saying how to run them (test/helpers/corpus-reporter.mjs);
 * under CI (`CI` set, or `NEWSMIRROR_REQUIRE_POSTGRES=1`) they run and fail instead.
 *
 * Every test gets its own schema in that database, dropped afterwards, so test files run concurrently.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { connectPostgres, quoteIdentifier } from '../../src/adapters/store/postgres/client.js';
import { serveFeeds } from './fixture-feeds.js';
import type { FixtureServer } from './fixture-server.js';
import { makeTempDir } from './tmp.js';

/** POSTGRES_SKIP is the skip reason of every PostgreSQL test when no server is given. */
export const POSTGRES_SKIP = 'postgres tests skipped: set NEWSMIRROR_TEST_POSTGRES (test/scripts/pg-cluster.sh start)';

/** TestPostgres is the server the tests use, or why they are skipped. */
export interface TestPostgres {
  /** The server's URL; undefined when none is given. */
  readonly url: string | undefined;
  /** The reason to skip for node:test, or false when the tests run (and must find a server). */
  readonly skip: string | false;
}

function testPostgres(env: NodeJS.ProcessEnv): TestPostgres {
  const url = env.NEWSMIRROR_TEST_POSTGRES;
  if (url !== undefined && url !== '') return { url, skip: false };
  const required = (env.CI !== undefined && env.CI !== '') || env.NEWSMIRROR_REQUIRE_POSTGRES === '1';
  return { url: undefined, skip: required ? false : POSTGRES_SKIP };
}

/** TEST_POSTGRES is read once per process from the environment. */
export const TEST_POSTGRES: TestPostgres = testPostgres(process.env);

/** TestSchema is a fresh, empty schema of the test database and the function that drops it. */
export interface TestSchema {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/**
 * createTestSchema creates a schema with a name no other test uses. Under CI without a server it
 * throws, so a missing cluster fails the run instead of skipping silently.
 */
export async function createTestSchema(): Promise<TestSchema> {
  const url = TEST_POSTGRES.url;
  if (url === undefined) {
    throw new Error('NEWSMIRROR_TEST_POSTGRES is not set, and CI requires the PostgreSQL tests: start a cluster with test/scripts/pg-cluster.sh start');
  }
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = connectPostgres(url, { maxConnections: 1 });
  try {
    await admin.execute(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  } finally {
    await admin.close();
  }
  return {
    url,
    schema,
    async drop() {
      const dropper = connectPostgres(url, { maxConnections: 1 });
      try {
        await dropper.execute(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      } finally {
        await dropper.close();
      }
    },
  };
}

/** PostgresFeedsSuite is what a PostgreSQL end-to-end suite of the CLI shares across its tests. */
export interface PostgresFeedsSuite {
  /** The loopback server of the suite's feeds. */
  readonly server: FixtureServer;
  /** The suite's own schema. */
  readonly schema: TestSchema;
  /** The suite's temporary folder. */
  readonly dir: string;
  /** The `database:` of a config on the suite's schema. */
  readonly database: string;
}

/**
 * usePostgresFeeds registers, in the describe() that calls it, a before() that serves `feeds`,
 * creates a schema and a temporary folder, and an after() that removes all three. The fields are
 * read inside the tests: before the before() ran there is nothing to read, and reading throws.
 */
export function usePostgresFeeds(feeds: Map<string, string>, tempPrefix: string): PostgresFeedsSuite {
  let server: FixtureServer | undefined;
  let schema: TestSchema | undefined;
  let temp: { dir: string; cleanup(): Promise<void> } | undefined;
  before(async () => {
    server = await serveFeeds(feeds);
    schema = await createTestSchema();
    temp = await makeTempDir(tempPrefix);
  });
  after(async () => {
    await server?.close();
    await schema?.drop();
    await temp?.cleanup();
  });
  const ready = (): { server: FixtureServer; schema: TestSchema; temp: { dir: string } } => {
    if (server === undefined || schema === undefined || temp === undefined) throw new Error('usePostgresFeeds: read inside a test, after the suite’s before() ran');
    return { server, schema, temp };
  };
  return {
    get server() {
      return ready().server;
    },
    get schema() {
      return ready().schema;
    },
    get dir() {
      return ready().temp.dir;
    },
    get database() {
      const { schema: current } = ready();
      return `${current.url}?schema=${current.schema}`;
    },
  };
}
