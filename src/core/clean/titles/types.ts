/**
 * TitleRule is what we know about one site's titles, kept as data like the cleaning rules: which
 * sources it applies to, the site name the feed glues to every title, and the column names it appends.
 */
export interface TitleRule {
  /** site names the rule in reports and tests. */
  readonly site: string;
  /** sourceIds are the configured source ids whose titles the rule applies to. */
  readonly sourceIds: readonly string[];
  /** suffixes are cut from the end of a title (tried in order, each at most once): the site's name. */
  readonly suffixes?: readonly RegExp[];
  /** prefixes are cut from the start of a title: labels the feed or its mirror added. */
  readonly prefixes?: readonly RegExp[];
  /**
   * columns match a column name at the end of a title; the match's `column` group is kept as the
   * article's column and cut from the title.
   */
  readonly columns?: readonly RegExp[];
}

/** CleanTitle is a title as a reader wants it, and the column it was filed under when the title said so. */
export interface CleanTitle {
  title: string;
  column?: string;
}
