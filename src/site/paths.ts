/**
 * Where each file of the static site lives, relative to the site's root (pages also below `hant/`).
 * Shared by the renderer and the browser's search script, which links its results to article pages.
 */

/** SITE_PATHS names every kind of file of the site. */
export const SITE_PATHS = {
  home: 'index.html',
  search: 'search.html',
  css: 'assets/app.css',
  icon: 'assets/icon.svg',
  script: 'assets/search.js',
  /** A source's newest page, or one of its older pages, numbered from the oldest. */
  source: (id: string, page?: number): string => `sources/${id}/${page ?? 'index'}.html`,
  article: (id: string, version?: number): string => `articles/${id.slice(0, 2)}/${id}${version === undefined ? '' : `.v${version}`}.html`,
};

/**
 * FILE_LIST_PATH lists every file the last export wrote, one path a line: the next export deletes the
 * ones it no longer produces, and nothing else. A dotfile, so static hosts (Jekyll on GitHub Pages) do not serve it.
 */
export const FILE_LIST_PATH = '.newsmirror-site.txt';

/**
 * STAMPS_PATH records what the last export rendered from (a fingerprint of the renderer, a hash of each
 * article's pages' inputs, a key of each search segment's documents), so that the next export renders
 * and indexes only what changed. A dotfile, not served; deleting it makes the next export render everything.
 */
export const STAMPS_PATH = '.newsmirror-site-stamps.txt';
