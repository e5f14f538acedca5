import { parseArgs } from 'node:util';
import { classifyEnvironmentError, isEnvironmentCode, isNewsmirrorError, errorMessage } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import type { Command, CommandIO } from './io.js';

const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  rebuild: async () => (await import('./commands/rebuild.js')).rebuildCommand,
  reclean: async () => (await import('./commands/reclean.js')).recleanCommand,
  recheck: async () => (await import('./commands/recheck.js')).recheckCommand,
  publish: async () => (await import('./commands/publish.js')).publishCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
  archiver: async () => (await import('./commands/archiver.js')).archiverCommand,
  search: async () => (await import('./commands/search.js')).searchCommand,
  reindex: async () => (await import('./commands/reindex.js')).reindexCommand,
  'export-opml': async () => (await import('./commands/opml.js')).exportOpmlCommand,
  'import-opml': async () => (await import('./commands/opml.js')).importOpmlCommand,
  'import-dutymachine': async () => (await import('./commands/import-dutymachine.js')).importDutyMachineCommand,
  'export-site': async () => (await import('./commands/export-site.js')).exportSiteCommand,
  'migrate-store': async () => (await import('./commands/migrate-store.js')).migrateStoreCommand,
  'export-epub': async () => (await import('./commands/export-epub.js')).exportEpubCommand,
};

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  source: { type: 'string', multiple: true, short: 's' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  'with-secrets': { type: 'boolean' },
  version: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string', short: 'p' },
  map: { type: 'string', multiple: true },
  'no-media': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  once: { type: 'boolean' },
  all: { type: 'boolean' },
} as const;

async function helpText(): Promise<string> {
  const lines = [
    'newsmirror — mirror Chinese-language news feeds into a clean, git-friendly archive',
    '',
    'Usage: newsmirror <command> [--config FILE] [options]',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const command = await load();
    lines.push(`  ${name.padEnd(12)} ${command.summary}`, `  ${' '.repeat(12)} ${command.usage}`);
  }
  lines.push(
    '',
    'Options:',
    '  -c, --config FILE   configuration file (default ./newsmirror.yaml)',
    '  -s, --source ID     only this source (repeatable)',
    '  -v, --verbose       log every step to stderr',
    '      --host, --port  where serve listens (default from the config: 127.0.0.1:8080)',
    '      --once          worker, archiver: do what is due once, then exit',
    '      --all           worker: count every enabled source as due',
    '      --from, --to    export-site, export-epub: only articles published from / up to these dates (YYYY-MM-DD)',
    '      --to DATABASE   migrate-store: the SQLite file or postgres:// URL to copy the store to',
    '      --all           recheck: every article whose page was not fetched in the last hour, due or not',
    '  -h, --help          this help',
    '',
    `Exit codes: ${EXIT.OK} ok, ${EXIT.FAILURES} some source or item failed, ${EXIT.USAGE} usage or config error, ${EXIT.UNAVAILABLE} archive or store unavailable (locked, read-only, full, damaged), ${EXIT.INTERNAL} internal error.`,
  );
  return `${lines.join('\n')}\n`;
}

/** main runs one command line and returns the exit code; the only place exit codes are decided. */
export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`newsmirror: ${errorMessage(error)}\nRun newsmirror --help for usage.\n`);
    return EXIT.USAGE;
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.version) {
    io.stdout.write('newsmirror 0.1.0\n');
    return EXIT.OK;
  }
  if (values.help || !name || name === 'help') {
    io.stdout.write(await helpText());
    return name && name !== 'help' && !COMMANDS[name] ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`newsmirror: unknown command "${name}"\nRun newsmirror --help for the list.\n`);
    return EXIT.USAGE;
  }
  const command = await load();
  try {
    return await command.run(
      { config: values.config ?? 'newsmirror.yaml', sources: values.source ?? [], positionals: rest, flags: values },
      io,
    );
  } catch (error) {
    io.stderr.write(`newsmirror ${name}: ${describeFailure(error)}\n`);
    return exitCodeOf(error);
  }
}

/** exitCodeOf maps what a command threw to its exit code: by `code`, never by message. */
function exitCodeOf(error: unknown): number {
  if (isNewsmirrorError(error)) {
    if (error.code === 'locked' || isEnvironmentCode(error.code)) return EXIT.UNAVAILABLE;
    if (error.code === 'config-invalid' || error.code === 'usage') return EXIT.USAGE;
    return EXIT.FAILURES;
  }
  return classifyEnvironmentError(error) ? EXIT.UNAVAILABLE : EXIT.INTERNAL;
}

/**
 * describeFailure renders what a command threw: the message and hint of a NewsmirrorError; for a bare
 * errno error of the machine that no stage classified, its path, cause and hint; otherwise a bug report.
 */
function describeFailure(error: unknown): string {
  if (isNewsmirrorError(error)) return `${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`;
  const problem = classifyEnvironmentError(error);
  if (problem) {
    const path = typeof (error as { path?: unknown }).path === 'string' ? `${(error as { path: string }).path}: ` : '';
    return `${path}${problem.reason} (${errorMessage(error)})\nhint: ${problem.hint}`;
  }
  return `internal error: ${errorMessage(error)}\n${error instanceof Error && error.stack ? error.stack : ''}`;
}
