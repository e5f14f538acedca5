import { writeStatusFile } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { publishConfiguredArchive } from '../../main/publish.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import type { PublishResult } from '../../adapters/git/index.js';

/** formatPublish renders a publish's outcome, one line per remote (names only, never URLs). */
export function formatPublish(result: PublishResult): string {
  const lines = [result.committed ? `publish: committed ${result.commit?.slice(0, 12) ?? ''}` : 'publish: nothing new to commit'];
  for (const push of result.pushes) {
    const state = push.ok ? (push.upToDate ? 'up to date' : push.merged ? 'pushed (merged the remote first)' : 'pushed') : `FAILED: ${push.error ?? 'unknown error'}`;
    lines.push(`  ${push.remote}: ${state}`);
  }
  return `${lines.join('\n')}\n`;
}

/** publishCommand commits the archive and pushes it to every remote; exit 1 when a remote failed. */
export const publishCommand: Command = {
  summary: 'commit the archive and push it to every configured git remote (never forced)',
  usage: 'newsmirror publish [--config FILE]',
  async run(args, io) {
    const config = await loadConfig(args);
    const ports = shellPorts(io, args);
    const context = await openContext(config, { ...ports, lock: 'publish' });
    try {
      await writeStatusFile(context.deps, config.sources);
      const result = await publishConfiguredArchive(config, ports.logger);
      io.stdout.write(formatPublish(result));
      return result.pushes.every((push) => push.ok) ? EXIT.OK : EXIT.FAILURES;
    } finally {
      await context.close();
    }
  },
};
