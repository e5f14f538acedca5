/**
 * Source leases on SQLite (docs/decisions.md D18): the same claims as on PostgreSQL, each in one
 * BEGIN IMMEDIATE transaction, which takes the file's write lock before reading, so two worker
 * processes on one machine never claim the same source. Lease times are this machine's clock.
 */
import Database from 'better-sqlite3';
import type { Clock, LeaseClaim, LeaseClaimResult, SourceLeases, WorkClaim, WorkLeases } from '../../../core/ports.js';
import { NewsmirrorError, errorMessage } from '../../../core/errors.js';

/** SqliteLeaseOptions configures `openSqliteLeases`. */
export interface SqliteLeaseOptions {
  /** The leases' clock; the real one by default (never a fixed test clock: leases must expire). */
  leaseClock?: Clock;
  /** How long a claim waits for another process's write lock, in ms (default 5,000). */
  busyTimeoutMs?: number;
}

const DUE = `CASE WHEN @since IS NULL THEN coalesce(next_check_at, 0) <= @due_at ELSE coalesce(claimed_at, -1) < @since END`;

/**
 * openSqliteLeases opens the source leases over the `sources` table of a SQLite store file (the
 * store, opened first, has migrated it).
 *
 * @example
 * const leases = openSqliteLeases('data/newsmirror.db');
 */
export function openSqliteLeases(file: string, options: SqliteLeaseOptions = {}): SourceLeases {
  const clock = options.leaseClock ?? { now: () => Date.now() };
  const db = new Database(file);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  const statements = {
    insert: db.prepare('INSERT INTO sources (source_id) SELECT value FROM json_each(?) WHERE true ON CONFLICT (source_id) DO NOTHING'),
    due: db.prepare<Record<string, unknown>, { source_id: string; lease_owner: string | null; lease_until: number | null }>(
      `SELECT source_id, lease_owner, lease_until FROM sources
       WHERE source_id IN (SELECT value FROM json_each(@ids)) AND ${DUE}
       ORDER BY coalesce(next_check_at, 0), source_id`,
    ),
    lease: db.prepare('UPDATE sources SET lease_owner = @owner, lease_until = @until, claimed_at = @now WHERE source_id = @source_id'),
    renew: db.prepare<Record<string, unknown>, { source_id: string }>(
      'UPDATE sources SET lease_until = @until WHERE lease_owner = @owner AND source_id IN (SELECT value FROM json_each(@ids)) RETURNING source_id',
    ),
    release: db.prepare('UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner AND source_id IN (SELECT value FROM json_each(@ids))'),
  };
  // State rows are never deleted, so each source's row is inserted once per process, not per claim.
  const ensured = new Set<string>();
  const claim = db.transaction((request: LeaseClaim): LeaseClaimResult => {
    const now = clock.now();
    const missing = request.sourceIds.filter((id) => !ensured.has(id));
    if (missing.length > 0) statements.insert.run(JSON.stringify(missing));
    const released = new Set(request.release ?? []);
    if (released.size > 0) statements.release.run({ owner: request.owner, ids: JSON.stringify([...released]) });
    const claimed: string[] = [];
    let busy = 0;
    for (const row of statements.due.all({ ids: JSON.stringify(request.sourceIds), due_at: request.dueAt, since: request.notClaimedSince ?? null })) {
      if (released.has(row.source_id)) continue;
      const live = row.lease_until !== null && row.lease_until > now;
      if (live) {
        if (row.lease_owner !== request.owner) busy++;
      } else if (claimed.length < request.limit) {
        statements.lease.run({ owner: request.owner, until: now + request.leaseMs, now, source_id: row.source_id });
        claimed.push(row.source_id);
      }
    }
    return { claimed: claimed.sort(), busy };
  });
  const run = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `leases: ${errorMessage(error)}`, { cause: error });
    }
  };
  return {
    now: async () => clock.now(),
    claim: async (request) =>
      run(() => {
        const result = claim.immediate(request);
        for (const id of request.sourceIds) ensured.add(id);
        return result;
      }),
    async renew(owner, sourceIds, leaseMs) {
      if (sourceIds.length === 0) return [];
      return run(() => statements.renew.all({ owner, ids: JSON.stringify(sourceIds), until: clock.now() + leaseMs }).map((row) => row.source_id).sort());
    },
    async release(owner, sourceIds) {
      if (sourceIds.length > 0) run(() => statements.release.run({ owner, ids: JSON.stringify(sourceIds) }));
    },
    async close() {
      db.close();
    },
  };
}

/**
 * openSqliteWorkLeases opens the per-item work leases (re-checks, images) over the `work_leases`
 * table of a SQLite store file (the store, opened first, has migrated it). A claim is one BEGIN
 * IMMEDIATE transaction, so two processes on one machine never lease the same item.
 *
 * @example
 * const work = openSqliteWorkLeases('data/newsmirror.db');
 */
export function openSqliteWorkLeases(file: string, options: SqliteLeaseOptions = {}): WorkLeases {
  const clock = options.leaseClock ?? { now: () => Date.now() };
  const db = new Database(file);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  const statements = {
    held: db.prepare<[string, string], { lease_owner: string | null; lease_until: number | null; claimed_at: number }>(
      'SELECT lease_owner, lease_until, claimed_at FROM work_leases WHERE kind = ? AND key = ?',
    ),
    lease: db.prepare(
      `INSERT INTO work_leases (kind, key, lease_owner, lease_until, claimed_at) VALUES (@kind, @key, @owner, @until, @now)
       ON CONFLICT (kind, key) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, claimed_at = excluded.claimed_at`,
    ),
    release: db.prepare(
      'UPDATE work_leases SET lease_owner = NULL, lease_until = NULL, claimed_at = @now WHERE kind = @kind AND lease_owner = @owner AND key IN (SELECT value FROM json_each(@keys))',
    ),
  };
  const claim = db.transaction((request: WorkClaim): string[] => {
    const now = clock.now();
    const claimed: string[] = [];
    for (const key of [...new Set(request.keys)].sort()) {
      const row = statements.held.get(request.kind, key);
      const free =
        row === undefined ||
        row.lease_owner === request.owner ||
        ((row.lease_until === null || row.lease_until <= now) && (request.notClaimedSince === undefined || row.claimed_at < request.notClaimedSince));
      if (!free) continue;
      statements.lease.run({ kind: request.kind, key, owner: request.owner, until: now + request.leaseMs, now });
      claimed.push(key);
    }
    return claimed;
  });
  const run = <T>(operation: () => T): T => {
    try {
      return operation();
    } catch (error) {
      throw new NewsmirrorError('store', 'store', `work leases: ${errorMessage(error)}`, { cause: error });
    }
  };
  return {
    now: async () => clock.now(),
    claim: async (request) => (request.keys.length === 0 ? [] : run(() => claim.immediate(request))),
    async release(kind, owner, keys) {
      if (keys.length > 0) run(() => statements.release.run({ kind, owner, keys: JSON.stringify(keys), now: clock.now() }));
    },
    async close() {
      db.close();
    },
  };
}
