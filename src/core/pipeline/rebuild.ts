import type { Article } from '../model/index.js';
import type { ArticleChange, CheckRecord } from '../ports.js';
import { articleFromFile, parseArticleFile, parseVersionPath, removalFromFile } from '../render/index.js';
import { errorMessage } from '../errors.js';
import type { PipelineDeps } from './deps.js';
import { rawItemOf, type ReceivedItem } from './received-item.js';

/** RebuildReport says how many articles came back and which files could not be used, and why. */
export interface RebuildReport {
  articles: number;
  /** Earlier versions restored from `.versions/v<N>.md` files. */
  versions: number;
  /** Confirmed removals restored from the article files' metadata. */
  removals: number;
  skipped: { path: string; reason: string }[];
}

const BATCH = 500;

/**
 * rebuildStore recreates the store's articles from the archive files alone: every file newsmirror wrote
 * carries its metadata, so ids, keys, paths, hashes and versions come back as they were, earlier versions
 * from the `<HHmm>-<id>.versions/v<N>.md` files beside each article, and confirmed removals from the
 * metadata (with the re-check store). Files of the original system (no metadata) are listed as skipped.
 * The files are left untouched.
 */
export async function rebuildStore(deps: Pick<PipelineDeps, 'archive' | 'store' | 'search' | 'recheck'>): Promise<RebuildReport> {
  const files = (await deps.archive.list('articles')).filter((path) => path.endsWith('.md'));
  const versionFiles = new Map<string, string[]>();
  const paths: string[] = [];
  for (const path of files) {
    const version = parseVersionPath(path);
    if (version === undefined) paths.push(path);
    else versionFiles.set(version.articlePath, [...(versionFiles.get(version.articlePath) ?? []), path]);
  }
  const report: RebuildReport = { articles: 0, versions: 0, removals: 0, skipped: [] };
  await deps.store.clearArticles();
  for (let start = 0; start < paths.length; start += BATCH) {
    // Round k holds the k-th version of every article of the batch: a version is applied only after the one before it.
    const rounds: ArticleChange[][] = [];
    const checks: CheckRecord[] = [];
    for (const path of paths.slice(start, start + BATCH)) {
      try {
        const read = await readArticle(deps, path, path);
        if (!read) {
          report.skipped.push({ path, reason: 'no newsmirror metadata (a file of the original system?)' });
          continue;
        }
        const earlier = await readVersions(deps, read.article, versionFiles.get(path) ?? [], report);
        [...earlier, read.article].forEach((article, index) => {
          (rounds[index] ??= []).push(changeOf(article, index === 0 ? 'new' : 'edit', path));
        });
        report.versions += earlier.length;
        const removal = read.removal;
        if (removal !== undefined && deps.recheck !== undefined) {
          const last = removal.evidence[removal.evidence.length - 1];
          // One look after the rebuild tells whether the removal still stands.
          checks.push({
            state: { articleId: removal.articleId, sourceId: removal.sourceId, goneChecks: removal.evidence.length, lastCheckAt: last?.at ?? removal.firstGoneAt, lastOutcome: 'gone', nextCheckAt: removal.confirmedAt ?? removal.firstGoneAt },
            removal,
            markFile: false,
          });
        }
      } catch (error) {
        report.skipped.push({ path, reason: errorMessage(error) });
      }
    }
    for (const changes of rounds) await deps.store.applyChanges(changes);
    for (const check of checks) await deps.recheck?.saveCheck(check);
    report.removals += checks.length;
    const current = rounds.flat().filter((change, _, all) => !all.some((other) => other.article.id === change.article.id && other.article.version > change.article.version));
    await deps.search?.index(current.map((change) => change.article));
    // The files are the source of these articles: nothing to write. The store was cleared, so every pending mark is this batch's.
    await deps.store.markFilesWritten(await deps.store.listPendingFiles());
    report.articles += current.length;
  }
  return report;
}

async function readArticle(deps: Pick<PipelineDeps, 'archive'>, file: string, path: string) {
  const text = await deps.archive.read(file);
  const parsed = text === undefined ? undefined : parseArticleFile(text);
  const article = parsed && articleFromFile(parsed, path);
  if (!parsed?.meta || !article) return undefined;
  return { article, removal: removalFromFile(parsed.meta) };
}

/** readVersions reads an article's earlier version files, in version order, each at the article's own path; unusable ones are skipped. */
async function readVersions(deps: Pick<PipelineDeps, 'archive'>, current: Article, files: string[], report: RebuildReport): Promise<Article[]> {
  const versions: Article[] = [];
  const ordered = files.map((file) => ({ file, n: parseVersionPath(file)?.version ?? 0 })).sort((a, b) => a.n - b.n);
  for (const { file, n } of ordered) {
    const read = await readArticle(deps, file, current.path);
    if (!read || read.article.id !== current.id || n >= current.version || read.article.version !== n || (versions.at(-1)?.version ?? 0) >= n) {
      report.skipped.push({ path: file, reason: `not version ${n} of article ${current.id}` });
      continue;
    }
    versions.push(read.article);
  }
  return versions;
}

function changeOf(article: Article, kind: 'new' | 'edit', path: string): ArticleChange {
  // The item as first received is not in the files; the archived body is the best raw we have.
  const received: ReceivedItem = {
    entry: { id: article.guid, title: article.title, link: article.url, content: article.bodyHtml, published: article.published, authors: [], categories: [], enclosures: [] },
  };
  return { kind, article, raw: rawItemOf(article.id, article.version, received, `archive:${path}`) };
}
