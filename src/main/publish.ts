import type { Config } from '../config/index.js';
import type { Logger } from '../core/ports.js';
import { planCommitMessage } from '../core/pipeline/index.js';
import { publishArchive, type PublishResult } from '../adapters/git/index.js';

/** LOCAL_ONLY are archive files never committed: the run lock and temporaries of an interrupted write. */
const LOCAL_ONLY = ['/.newsmirror.lock', '.tmp-*'];

/**
 * publishConfiguredArchive commits the archive's changes (one commit, message from the changed paths)
 * and pushes to every configured remote. Remote failures are in the result, never thrown.
 */
export function publishConfiguredArchive(config: Config, logger: Logger): Promise<PublishResult> {
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
