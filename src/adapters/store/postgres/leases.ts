/**
 * Source leases and archive leadership on PostgreSQL (docs/decisions.md D18). A claim is one
 * statement (the configured sources' missing state rows are inserted once per process before it):
 * the due rows without a live lease are taken `FOR UPDATE SKIP LOCKED`, so workers claiming at once
 * never wait on each other and never get the same source. Lease times are the server's clock, shared by every machine.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchiveLeadership, Clock, LeaseClaim, LeaseClaimResult, SourceLeases, WorkLeases } from '../../../core/ports.js';
import type { PgClientOptions, PgSession } from './client.js';
import { openMigrated } from './migrate.js';

// The archive leader's advisory lock: a fixed number naming "newsmirror archive"; the second key is the schema's hash.
const ARCHIVE_LOCK_CLASS = 0x6e6d6172;
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
// A due source: with `notClaimedSince` ($4), not claimed since then; otherwise its next check has come ($3).
const DUE = `CASE WHEN $4::bigint IS NULL THEN coalesce(next_check_at, 0) <= $3::bigint ELSE coalesce(claimed_at, -1) < $4::bigint END`;

/** PostgresLeaseOptions configures `openPostgresLeases` and `openPostgresLeadership`. */
export interface PostgresLeaseOptions {
  schema?: string;
  /** Time source for the migrations' bookkeeping only; leases use the server's clock. */
  clock?: Clock;
}

function clientOptions(options: PostgresLeaseOptions, maxConnections: number): PgClientOptions & { clock?: Clock } {
  const result: PgClientOptions & { clock?: Clock } = { maxConnections };
  if (options.schema !== undefined) result.schema = options.schema;
  if (options.clock !== undefined) result.clock = options.clock;
  return result;
}

/**
 * openPostgresLeases connects (migrating the schema if needed) and returns the source leases.
 *
 * @example
 * const leases = await openPostgresLeases(url, { schema: 'mirror' });
 * const { claimed } = await leases.claim({ owner, sourceIds, dueAt: Date.now(), limit: 4, leaseMs: 300_000 });
 */
export async function openPostgresLeases(url: string, options: PostgresLeaseOptions = {}): Promise<SourceLeases> {
  const db = await openMigrated(url, clientOptions(options, 2));
  // State rows are never deleted, so each source's row is inserted once per process, not per claim.
  const ensured = new Set<string>();
  // Every claim of a worker sends the same list of configured sources: its array literal is built once.
  const literals = new WeakMap<string[], string>();
  const idsLiteral = (ids: string[]): string => {
    let literal = literals.get(ids);
    if (literal === undefined) {
      literal = textArrayLiteral(ids);
      literals.set(ids, literal);
    }
    return literal;
  };
  return {
    async now() {
      const [row] = await db.query<{ ms: number }>(`SELECT ${NOW_MS} AS ms`);
      return row?.ms ?? Date.now();
    },
    async claim(request: LeaseClaim): Promise<LeaseClaimResult> {
      const missing = request.sourceIds.filter((id) => !ensured.has(id));
      if (missing.length > 0) {
        await db.execute('INSERT INTO sources (source_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (source_id) DO NOTHING', [missing]);
        for (const id of missing) ensured.add(id);
      }
      // One statement, one round trip, with the release of the syncs that finished (a claim follows
      // every one). `due` and `waiting` read the rows as they were before this claim, so the released
      // rows are still this owner's there. Short of its limit, a claim took every free due row, so the
      // due ones this owner neither holds nor claims now are held by other workers or being claimed
      // by them (locked, so skipped); at its limit, the busy ones are those other workers hold.
      const [row] = await db.query<{ claimed: string[]; busy: number }>(
        `WITH released AS (
           UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $2 AND source_id = ANY($7::text[])
         ), due AS (
           SELECT source_id FROM sources
           WHERE source_id = ANY($1::text[]) AND NOT source_id = ANY($7::text[])
             AND (lease_until IS NULL OR lease_until <= ${NOW_MS}) AND ${DUE}
           ORDER BY coalesce(next_check_at, 0), source_id
           LIMIT $5 FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE sources s SET lease_owner = $2, lease_until = ${NOW_MS} + $6::bigint, claimed_at = ${NOW_MS}
           FROM due WHERE s.source_id = due.source_id
           RETURNING s.source_id
         ), waiting AS (
           SELECT count(*) FILTER (WHERE NOT (lease_owner IS NOT DISTINCT FROM $2 AND lease_until > ${NOW_MS}) AND NOT source_id = ANY($7::text[]))::int AS unheld,
                  count(*) FILTER (WHERE lease_owner <> $2 AND lease_until > ${NOW_MS})::int AS others
           FROM sources WHERE source_id = ANY($1::text[]) AND ${DUE}
         ), taken AS (SELECT count(*)::int AS count FROM claimed)
         SELECT coalesce((SELECT array_agg(source_id ORDER BY source_id) FROM claimed), '{}') AS claimed,
                CASE WHEN taken.count < $5 THEN waiting.unheld - taken.count ELSE waiting.others END AS busy
         FROM waiting, taken`,
        [idsLiteral(request.sourceIds), request.owner, request.dueAt, request.notClaimedSince ?? null, request.limit, request.leaseMs, request.release ?? []],
      );
      return { claimed: row?.claimed ?? [], busy: row?.busy ?? 0 };
    },
    async renew(owner, sourceIds, leaseMs) {
      if (sourceIds.length === 0) return [];
      const rows = await db.query<{ source_id: string }>(
        `UPDATE sources SET lease_until = ${NOW_MS} + $3::bigint WHERE lease_owner = $1 AND source_id = ANY($2::text[]) RETURNING source_id`,
        [owner, sourceIds, leaseMs],
      );
      return rows.map((row) => row.source_id).sort();
    },
    async release(owner, sourceIds) {
      if (sourceIds.length === 0) return;
      await db.execute('UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND source_id = ANY($2::text[])', [owner, sourceIds]);
    },
    close: () => db.close(),
  };
}

/** textArrayLiteral writes PostgreSQL's literal of a text[] (as the driver would, for each call). */
function textArrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * openPostgresWorkLeases returns the per-item work leases (re-checks, images). A claim is one upsert
 * per item, in key order: a row another owner holds live (or, with `notClaimedSince`, claimed or
 * released since then) is left as it is, and PostgreSQL's row lock makes two claims of one item take turns, so only
 * one of them gets it.
 *
 * @example
 * const work = await openPostgresWorkLeases(url, { schema: 'mirror' });
 * const mine = await work.claim({ kind: 'recheck', owner, keys: [articleId], leaseMs: 300_000 });
 */
export async function openPostgresWorkLeases(url: string, options: PostgresLeaseOptions = {}): Promise<WorkLeases> {
  const db = await openMigrated(url, clientOptions(options, 2));
  return {
    async now() {
      const [row] = await db.query<{ ms: number }>(`SELECT ${NOW_MS} AS ms`);
      return row?.ms ?? Date.now();
    },
    async claim(request) {
      if (request.keys.length === 0) return [];
      const rows = await db.query<{ key: string }>(
        `INSERT INTO work_leases AS l (kind, key, lease_owner, lease_until, claimed_at)
         SELECT $1, key, $2, ${NOW_MS} + $4::bigint, ${NOW_MS} FROM unnest($3::text[]) AS wanted (key) ORDER BY key
         ON CONFLICT (kind, key) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at
         WHERE l.lease_owner = excluded.lease_owner
            OR ((l.lease_until IS NULL OR l.lease_until <= ${NOW_MS}) AND ($5::bigint IS NULL OR l.claimed_at < $5::bigint))
         RETURNING key`,
        [request.kind, request.owner, [...new Set(request.keys)], request.leaseMs, request.notClaimedSince ?? null],
      );
      return rows.map((row) => row.key).sort();
    },
    async release(kind, owner, keys) {
      if (keys.length === 0) return;
      await db.execute(`UPDATE work_leases SET lease_owner = NULL, lease_until = NULL, claimed_at = ${NOW_MS} WHERE kind = $1 AND lease_owner = $2 AND key = ANY($3::text[])`, [kind, owner, keys]);
    },
    close: () => db.close(),
  };
}

/**
 * openPostgresLeadership returns the archive's leadership: a session advisory lock held on its own
 * connection, so that it ends with the process (or its connection) and a waiting archiver takes over.
 */
export async function openPostgresLeadership(url: string, options: PostgresLeaseOptions & { pollMs?: number } = {}): Promise<ArchiveLeadership> {
  const db = await openMigrated(url, clientOptions(options, 1));
  const pollMs = options.pollMs ?? 1000;
  let session: PgSession | undefined;
  const key = [ARCHIVE_LOCK_CLASS, options.schema ?? null];
  return {
    async acquire(signal) {
      session ??= await db.session();
      for (;;) {
        const [row] = await session.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(coalesce($2, current_schema()))) AS held', key);
        if (row?.held === true) return true;
        if (signal?.aborted === true) return false;
        await sleep(pollMs, undefined, { signal }).catch(() => undefined);
      }
    },
    async held() {
      if (session === undefined) return false;
      const [row] = await session.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND classid = $1::int::oid AND objid = hashtext(coalesce($2, current_schema()))::oid) AS held`,
        key,
      );
      return row?.held === true;
    },
    async close() {
      // Unlocked here, not left to the server's end of the session: a backend may release its locks
      // only after the client has seen the socket close, and a single try right after this one (a
      // `publish` after a `sync`) would find the archive still led.
      await session?.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      session?.release();
      session = undefined;
      await db.close();
    },
  };
}
