import { isAbsolute, relative } from 'node:path';
import type { Config } from '../config/index.js';
import { NewsmirrorError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { planCommitMessage, writeStatusFile } from '../core/pipeline/index.js';
import type { GitOptions, PublishResult } from '../adapters/git/index.js';
import type { SiteExportReport } from '../site/export.js';
import type { AppContext, ReaderContext } from './context.js';

/** LOCAL_ONLY are archive files never committed: the run lock and temporaries of an interrupted write. */
const LOCAL_ONLY = ['/.newsmirror.lock', '.tmp-*'];

/**
 * publishConfiguredArchive commits the archive's changes (one commit, message from the changed paths)
 * and pushes to every configured remote. Remote failures are in the result, never thrown.
 */
export async function publishConfiguredArchive(config: Config, logger: Logger): Promise<PublishResult> {
  // Loaded on first use: a worker, which never publishes, then starts without git's and the site's modules.
  const { publishArchive } = await import('../adapters/git/index.js');
  const names = new Map(config.sources.map((source) => [source.id, source.name]));
  return publishArchive({
    dir: config.archive,
    remotes: config.remotes,
    author: config.author,
    message: (changes) => planCommitMessage(changes, names),
    exclude: LOCAL_ONLY,
    logger,
  });
}

/**
 * publishUnattended is the unattended roles' publish (run, the re-check step, the archiver): STATUS
 * rewritten, then the archive committed and pushed, then, with `site.branch` set, the static site
 * exported and pushed to that branch as `publish` does. A failed remote or publish is logged, never
 * thrown: the next change publishes again. Returns whether the archive got a commit.
 */
export async function publishUnattended(context: AppContext): Promise<boolean> {
  const { config, deps, logger } = context;
  let committed = false;
  try {
    await writeStatusFile(deps, config.sources);
    const result = await publishConfiguredArchive(config, logger);
    for (const push of result.pushes.filter((p) => !p.ok)) logger.error(`publish: ${push.remote}: ${push.error ?? 'failed'}`, { remote: push.remote });
    committed = result.committed;
  } catch (error) {
    logger.error(`publish: ${errorMessage(error)}`);
  }
  try {
    const site = await publishConfiguredSite(context);
    if (site !== undefined) {
      const { exported, published } = site;
      logger.info(`publish site: ${exported.articles} article(s), ${exported.written} file(s) written, ${exported.deleted} deleted${published.committed ? `, committed to ${site.branch}` : ''}`);
      for (const push of published.pushes.filter((p) => !p.ok)) logger.error(`publish site: ${push.remote}: ${push.error ?? 'failed'}`, { remote: push.remote });
    }
  } catch (error) {
    logger.error(`publish site: ${errorMessage(error)}`);
  }
  return committed;
}

/** SitePublishResult is the site's export and its commit and pushes to `site.branch`. */
export interface SitePublishResult {
  branch: string;
  exported: SiteExportReport;
  published: PublishResult;
}

/**
 * publishConfiguredSite exports the static site into `site.dir` (incremental: unchanged files keep
 * their bytes, files no longer produced are deleted) and publishes that folder, its own repository,
 * to `site.branch` of every remote: the same commit, fetch-merge-push and redaction as the archive,
 * never forced. The archive's repository and branch are not touched. Undefined when no branch is set.
 */
export async function publishConfiguredSite(context: ReaderContext, options: Pick<GitOptions, 'env'> = {}): Promise<SitePublishResult | undefined> {
  const { config, logger } = context;
  const branch = config.site.branch;
  if (branch === undefined) return undefined;
  const dir = config.site.dir;
  // One folder inside the other would commit the site into the archive, or the archive into the site.
  if (isInside(dir, config.archive) || isInside(config.archive, dir)) {
    throw new NewsmirrorError('config-invalid', 'config', `site.dir ${dir} and the archive ${config.archive} must not contain one another`, {
      hint: 'set site.dir to a folder beside the archive, e.g. ./site',
    });
  }
  const [{ exportSiteTo }, { publishArchive }] = await Promise.all([import('./site.js'), import('../adapters/git/index.js')]);
  const exported = await exportSiteTo(context, dir, {}, dir);
  const published = await publishArchive({
    dir,
    branch,
    remotes: config.remotes,
    author: config.author,
    message: `site: ${exported.articles} article(s), ${exported.written} file(s) written, ${exported.deleted} deleted`,
    exclude: ['.tmp-*'],
    logger,
    env: options.env,
  });
  return { branch, exported, published };
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
