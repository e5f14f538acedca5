/**
 * RemoveRule names one kind of boilerplate and how to find it: a CSS selector, optionally narrowed by
 * the element's visible text, its position, or the kind of content it holds.
 */
export interface RemoveRule {
  /** name is reported in `CleanResult.removed` when the rule removed something. */
  readonly name: string;
  /** selector is a CSS selector (css-select dialect, `:has()` and `:contains()` allowed). */
  readonly selector: string;
  /**
   * text, when set, must match the element's visible text (whitespace collapsed, trimmed); elements
   * holding media or more than 1,000 characters of text never match.
   */
  readonly text?: RegExp;
  /** withPreceding lists tag names of directly preceding siblings to remove too (feedx's `<br><hr>`). */
  readonly withPreceding?: readonly string[];
  /** firstOnly restricts the rule to an element with nothing but whitespace before it in the body. */
  readonly firstOnly?: boolean;
  /** linksOnly restricts the rule to elements whose visible text all sits inside links. */
  readonly linksOnly?: boolean;
  /**
   * needle, when set, is a literal (or a list of literals, any of which will do) that the raw HTML must
   * contain for the rule to be tried at all: a cheap guard that keeps rules off articles that cannot
   * match. It must be a substring of every element the rule removes, as written in the source HTML.
   */
  readonly needle?: string | readonly string[];
}

/** LeadingTextRule removes text the feed put before the first element (legacy CDT `日期：…`). */
export interface LeadingTextRule {
  /** name is reported in `CleanResult.removed` when the rule fired. */
  readonly name: string;
  /** pattern is matched against the start of the body's leading text; the match is cut. */
  readonly pattern: RegExp;
}

/**
 * CleanRule is the cleaning knowledge about one site, kept as data: which articles it applies to and
 * what to remove from them. One file per site under `rules/`, each with captured fixtures beside it.
 */
export interface CleanRule {
  /** site is the rule's stable id (also the fixture folder name). */
  readonly site: string;
  /** sourceIds are the catalog source ids this rule applies to. */
  readonly sourceIds: readonly string[];
  /** hosts are registrable domains; the rule applies to article URLs on them or their subdomains. */
  readonly hosts: readonly string[];
  /** remove lists the boilerplate this site's bodies carry. */
  readonly remove: readonly RemoveRule[];
  /** leadingText lists text patterns cut from the very start of the body. */
  readonly leadingText?: readonly LeadingTextRule[];
}

/** CleanOptions says where an article comes from, which decides the rules and the URL base. */
export interface CleanOptions {
  /** url is the article's URL: the base for relative URLs and the host for rule selection. */
  readonly url: string;
  /** sourceId is the catalog id of the article's source. */
  readonly sourceId?: string;
  /** siteRules replaces the built-in per-site rule list (the generic rules always apply). */
  readonly siteRules?: readonly CleanRule[];
}

/** CleanResult is a cleaned, sanitized article body. */
export interface CleanResult {
  /** html is the body: sanitized, one top-level block per line. */
  readonly html: string;
  /** text is the visible text, one line per block. */
  readonly text: string;
  /** removed names the rules and cleaning steps that changed something, sorted. */
  readonly removed: string[];
}

/** SanitizeOptions configures `sanitizeHtml`. */
export interface SanitizeOptions {
  /** baseUrl makes relative URLs absolute; without it they stay relative. */
  readonly baseUrl?: string;
}
