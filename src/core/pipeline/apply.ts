/**
 * The writing side of a sync, in the order that makes a SIGKILL anywhere harmless: the store first
 * (one transaction, each changed article marked pending), then the files, lists and search entries
 * of whatever is pending, then the marks cleared.
 */
import type { Article, Source } from '../model/index.js';
import type { ArticleChange, SuspectChanges } from '../ports.js';
import { monthOfArticlePath, monthRange, renderArticleFile, renderMonthList, renderSourceList, versionArticle, versionPath, LIST_LIMIT } from '../render/index.js';
import { mapLimit } from '../concurrency.js';
import { ARTICLES_PER_READ, type PipelineDeps } from './deps.js';

const FILE_WRITES_IN_FLIGHT = 16;

/**
 * applyPlan writes a planned sync to the store in one transaction: the changes (each changed
 * article's file marked pending), the articles seen without a change marked as seen at `now`, and
 * the suspect versions (which mark no file pending: the archive file keeps the current text).
 */
export async function applyPlan(
  deps: Pick<PipelineDeps, 'store'>,
  changes: ArticleChange[],
  seen: string[],
  now: number,
  suspects: SuspectChanges = { add: [], dismiss: [] },
): Promise<void> {
  await deps.store.applyChanges(changes, { articleIds: seen, at: now }, suspects);
}

/**
 * flushPendingFiles writes every article file the store marks pending, then the lists that show
 * them and their search entries, and only then clears the marks: a run killed anywhere in between is
 * completed by the next. In a worker (`filesByArchiver`) it writes nothing: the archiver flushes.
 */
export async function flushPendingFiles(deps: PipelineDeps, source: Pick<Source, 'id' | 'name'>): Promise<Article[]> {
  if (deps.filesByArchiver === true) return [];
  const pending = await deps.store.listPendingFiles(source.id);
  if (pending.length === 0) return [];
  const ids = pending.map((file) => file.id);
  const written: Article[] = [];
  for (let start = 0; start < ids.length; start += ARTICLES_PER_READ) {
    const articles = await deps.store.getArticles(ids.slice(start, start + ARTICLES_PER_READ));
    const removals = (await deps.recheck?.getRemovals(articles.map((article) => article.id))) ?? new Map();
    // Each write fsyncs; several in flight keep the disk busy instead of waiting on one file at a time.
    await mapLimit(articles, FILE_WRITES_IN_FLIGHT, (article) => deps.archive.write(article.path, renderArticleFile(article, removals.get(article.id))));
    await writeVersionFiles(deps, articles);
    written.push(...articles);
  }
  await writeSourceLists(deps, source, written);
  await deps.search?.index(written);
  await deps.store.markFilesWritten(pending);
  return written;
}

/**
 * writeVersionFiles writes every earlier version of edited articles as its own file beside the article
 * (`<HHmm>-<id>.versions/v<N>.md`); the writer skips the ones already on disk with these bytes.
 */
export async function writeVersionFiles(deps: PipelineDeps, articles: Article[]): Promise<void> {
  await mapLimit(
    articles.filter((article) => article.version > 1),
    FILE_WRITES_IN_FLIGHT,
    async (article) => {
      for (const file of await versionFiles(deps, article)) await deps.archive.write(file.path, file.content);
    },
  );
}

/** versionFiles renders the files of an article's earlier versions, each with its path beside the article's. */
export async function versionFiles(deps: PipelineDeps, article: Article): Promise<{ path: string; content: string }[]> {
  if (article.version === 1) return [];
  const earlier = (await deps.store.listVersions(article.id)).filter((version) => version.version < article.version);
  return earlier.map((version) => ({ path: versionPath(article.path, version.version), content: renderArticleFile(versionArticle(article, version)) }));
}

/** writeSourceLists rewrites a source's list and the monthly lists of the months that changed. */
export async function writeSourceLists(deps: PipelineDeps, source: Pick<Source, 'id' | 'name'>, changed: Article[] | 'all'): Promise<void> {
  const months = await deps.store.listPathMonths(source.id);
  const newest = await deps.store.listArticles(source.id, { limit: LIST_LIMIT });
  const removed = new Set(((await deps.recheck?.listRemoved({ sourceIds: [source.id], limit: Number.MAX_SAFE_INTEGER })) ?? []).map((item) => item.articleId));
  await deps.archive.write(`lists/${source.id}.md`, renderSourceList(source, newest, months, deps.timeZone, removed));
  const touched = changed === 'all' ? new Set(months) : new Set(changed.map((article) => monthOfArticlePath(article.path)));
  for (const month of touched) {
    if (!month) continue;
    const prefix = `articles/${source.id}/${month.replace('-', '/')}/`;
    const items = (await deps.store.listArticles(source.id, monthRange(month, deps.timeZone))).filter((item) => item.path.startsWith(prefix));
    await deps.archive.write(`lists/${source.id}/${month}.md`, renderMonthList(source, month, items, deps.timeZone, removed));
  }
}
