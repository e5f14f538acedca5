import { isAbsolute, resolve } from 'node:path';
import { NewsmirrorError } from '../../core/errors.js';
import { describeDatabase } from '../../main/context.js';
import { migrateStore } from '../../main/migrate-store.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';

const DATABASE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * migrateStoreCommand copies the configured store to another database (SQLite ↔ PostgreSQL) and
 * prints each table's row count and sha256, checked equal on both sides; the target's search index
 * is rebuilt. Re-running it against the same target changes nothing.
 */
export const migrateStoreCommand: Command = {
  summary: 'copy the whole store to another database (SQLite ↔ PostgreSQL), checked by counts and hashes',
  usage: 'newsmirror migrate-store --to FILE|postgres://… [--config FILE]',
  async run(args, io) {
    const to = args.flags.to;
    if (typeof to !== 'string' || to === '') {
      throw new NewsmirrorError('usage', 'config', 'migrate-store needs --to: a SQLite file path or a postgres:// URL', {
        hint: 'newsmirror migrate-store --to postgres://user@host/db?schema=newsmirror',
      });
    }
    const target = DATABASE_URL.test(to) || isAbsolute(to) ? to : resolve(io.cwd, to);
    const config = await loadConfig(args);
    const report = await migrateStore(config, target, shellPorts(io, args));
    const verb = report.outcome === 'copied' ? 'copied' : 'the target already holds this store; nothing copied';
    io.stdout.write(`migrate-store: ${describeDatabase(config.database)} → ${describeDatabase(target)}: ${verb}\n`);
    const width = Math.max(...report.source.map((table) => table.table.length));
    for (const table of report.source) io.stdout.write(`  ${table.table.padEnd(width)} ${String(table.rows).padStart(9)}  ${table.sha256}\n`);
    io.stdout.write(`migrate-store: every table's count and sha256 match in the target; ${report.indexed} article(s) indexed for search\n`);
    return EXIT.OK;
  },
};
