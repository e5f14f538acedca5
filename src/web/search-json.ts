import { publicUrl } from '../core/errors.js';
import type { SearchResult } from '../core/ports.js';
import { safeSnippet } from './snippet.js';

/** ApiSearchResult is the JSON shape of `GET /api/search` and `newsmirror search --json`. */
export interface ApiSearchResult {
  total: number;
  results: { id: string; source: string; title: string; url: string; published: string; snippet: string }[];
  next: string | null;
}

/** toApiSearchResult shapes a search page for the API: ISO times, snippets reduced to text and <mark>. */
export function toApiSearchResult(result: SearchResult): ApiSearchResult {
  return {
    total: result.total,
    results: result.hits.map((hit) => ({
      id: hit.id,
      source: hit.sourceId,
      title: hit.title,
      url: publicUrl(hit.url),
      published: new Date(hit.published).toISOString(),
      snippet: safeSnippet(hit.snippet),
    })),
    next: result.next ?? null,
  };
}
