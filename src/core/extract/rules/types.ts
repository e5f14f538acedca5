/**
 * ExtractRule says where a site keeps its article body. Rules are data: one file per site, each backed
 * by a real captured page or feed body under ../testdata, so a rule that stops matching fails a test.
 */
export interface ExtractRule {
  /** Short stable name, reported as `rule:<site>`. */
  site: string;
  /** Host names the rule applies to; a host also matches its subdomains. */
  hosts: string[];
  /** Optional path prefix (e.g. `/zhongwen`) narrowing the rule on a shared host. */
  pathPrefix?: string;
  /** CSS selectors of the body container, tried in order; the first that matches wins. */
  content: string[];
  /** CSS selectors removed inside the body (ads, share bars, promos, related links). */
  remove?: string[];
}
