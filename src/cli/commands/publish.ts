import { writeStatusFile } from '../../core/pipeline/index.js';
import { openContext } from '../../main/context.js';
import { publishConfiguredArchive, publishConfiguredSite, type SitePublishResult } from '../../main/publish.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, shellPorts, type Command } from '../io.js';
import type { PublishResult } from '../../adapters/git/index.js';

/** formatPublish renders a publish's outcome, one line per remote (names only, never URLs). */
export function formatPublish(result: PublishResult, label = 'publish'): string {
  const lines = [result.committed ? `${label}: committed ${result.commit?.slice(0, 12) ?? ''}` : `${label}: nothing new to commit`];
  for (const push of result.pushes) {
    const state = push.ok ? (push.upToDate ? 'up to date' : push.merged ? 'pushed (merged the remote first)' : 'pushed') : `FAILED: ${push.error ?? 'unknown error'}`;
    lines.push(`  ${push.remote}: ${state}`);
  }
  return `${lines.join('\n')}\n`;
}

/** formatSitePublish renders the site's export and its publish to `site.branch`. */
function formatSitePublish(site: SitePublishResult): string {
  const { exported } = site;
  const summary = `publish site: ${exported.articles} article(s), ${exported.files} file(s), ${exported.written} written, ${exported.deleted} deleted\n`;
  return `${summary}${formatPublish(site.published, `publish site (${site.branch})`)}`;
}

/**
 * publishCommand commits the archive and pushes it to every remote, then, with `site.branch` set,
 * exports the static site and pushes it to that branch; exit 1 when a remote failed.
 */
export const publishCommand: Command = {
  summary: 'commit the archive and push it to every configured git remote (never forced); with site.branch, the static site too',
  usage: 'newsmirror publish [--config FILE]',
  async run(args, io) {
    const config = await loadConfig(args);
    const ports = shellPorts(io, args);
    const context = await openContext(config, { ...ports, lock: 'publish' });
    try {
      await writeStatusFile(context.deps, config.sources);
      const result = await publishConfiguredArchive(config, ports.logger);
      io.stdout.write(formatPublish(result));
      const site = await publishConfiguredSite(context);
      if (site !== undefined) io.stdout.write(formatSitePublish(site));
      const pushes = [...result.pushes, ...(site?.published.pushes ?? [])];
      return pushes.every((push) => push.ok) ? EXIT.OK : EXIT.FAILURES;
    } finally {
      await context.close();
    }
  },
};
