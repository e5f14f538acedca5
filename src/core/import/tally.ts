/**
 * ImportTally is the port through which an import counts what it found over a whole history without
 * holding it: which articles it met, at which old paths, and whether HEAD still shows one of their
 * versions. The report's distinct articles, recovered articles and merged paths come from it, so
 * the import's memory does not grow with the history (the SQLite adapter keeps it on disk).
 */
export interface ImportTally {
  /**
   * note records one version of an article found at an old path; it says whether the article, and
   * the path for this article, are met for the first time.
   */
  note(version: TalliedVersion): Promise<{ newArticle: boolean; newPath: boolean }>;
  /** counts gives, per source id, the distinct articles noted and how many of them HEAD never showed. */
  counts(): Promise<Map<string, { articles: number; recovered: number }>>;
  /** close drops what was noted. */
  close(): Promise<void>;
}

/** TalliedVersion is one article version as the tally records it. */
export interface TalliedVersion {
  articleId: string;
  sourceId: string;
  /** The old file's path in the history. */
  path: string;
  /** True when this version's blob is among HEAD's files. */
  atHead: boolean;
}
