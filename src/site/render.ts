/**
 * The static site's pages, pure: data in, files out. The pages are the web reader's own views
 * (src/web/views.ts) with relative links, so the site works from `file://`, from any sub-path of a
 * static host and from an IPFS gateway. Every page exists twice: as stored (简体) at its path and
 * converted (繁體) under `hant/`, the same tree one level down, so the toggle is a plain link.
 */
import { APP_CSS, ICON_SVG } from '../web/assets.js';
import { html, type SafeHtml } from '../web/html.js';
import { convertHtmlText, type Variant } from '../web/variant.js';
import { layout, type Links } from '../web/views.js';
import { SITE_PATHS } from './paths.js';

/**
 * SITE_CSP allows nothing but files of the site itself: no other origin, no inline script or style.
 * Chromium matches `'self'` of a `file://` page against other `file://` files.
 */
const SITE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; base-uri 'none'";

/** SiteFile is one file of the site: its path below the output folder and its content. */
export interface SiteFile {
  path: string;
  content: string | Uint8Array;
}

/** PageContext is what a page's body needs to link: its links, and the way up to the shared files. */
export interface PageContext {
  links: Links;
  /** Relative prefix from the page to the site's root (assets, media, search data). */
  shared: string;
  /** Relative prefix from the page to the root of its variant's tree. */
  pages: string;
}

/** pageContext builds the relative links of the page at `path` (tree-relative) in a variant. */
function pageContext(path: string, variant: Variant): PageContext {
  const pages = '../'.repeat(path.split('/').length - 1);
  const shared = variant === 'hant' ? `${pages}../` : pages;
  return {
    pages,
    shared,
    links: {
      home: `${pages}${SITE_PATHS.home}`,
      search: `${pages}${SITE_PATHS.search}`,
      source: (id) => `${pages}${SITE_PATHS.source(id)}`,
      article: (id, version) => `${pages}${SITE_PATHS.article(id, version)}`,
      css: `${shared}${SITE_PATHS.css}`,
      icon: `${shared}${SITE_PATHS.icon}`,
      server: false,
    },
  };
}

/**
 * renderPage renders one page in both variants: `path` as stored and `hant/path` converted.
 * `body` is called once per variant with that variant's links.
 */
export function renderPage(path: string, title: string, body: (context: PageContext) => SafeHtml, options: { scripts?: string[]; q?: string } = {}): SiteFile[] {
  return (['hans', 'hant'] as const).map((variant) => {
    const context = pageContext(path, variant);
    const page = layout(
      {
        title,
        variant,
        hansUrl: `${context.shared}${path}`,
        hantUrl: `${context.shared}hant/${path}`,
        q: options.q,
        links: context.links,
        csp: SITE_CSP,
        scripts: (options.scripts ?? []).map((script) => `${context.shared}${script}`),
      },
      body(context),
    ).value;
    return { path: variant === 'hant' ? `hant/${path}` : path, content: variant === 'hant' ? convertHtmlText(page) : page };
  });
}

/** siteBody points a page body's mirrored media (`/media/…`, as pageBody writes them) at the site's copy. */
export function siteBody(bodyHtml: string, shared: string): string {
  return bodyHtml.replace(/(\s(?:src|href|poster)=")\/media\//g, `$1${shared}media/`);
}

/** MEDIA_IN_BODY finds the mirrored media a page body (from pageBody) shows. */
const MEDIA_IN_BODY = /\s(?:src|href|poster)="\/media\/([0-9a-f]{2}\/[0-9a-f]{64}\.[a-z0-9]{1,8})"/g;

/** mediaOf lists the `media/…` files (site-relative) a page body shows. */
export function mediaOf(bodyHtml: string): string[] {
  return [...bodyHtml.matchAll(MEDIA_IN_BODY)].map((match) => `media/${match[1] as string}`);
}

/** searchPage is the static search page: the form, a status line carrying `data-total`, and the results list the script fills. */
export function searchPageBody(context: PageContext, sources: { id: string; name: string }[]): SafeHtml {
  return html`<h1>搜索</h1>
<form class="filters" action="${context.links.search}" method="get" role="search" aria-label="高级搜索">
<label class="q">关键词<input id="search-q" type="search" name="q" maxlength="200"></label>
<label>来源<select id="search-source" name="source"><option value="">全部来源</option>
${sources.map((source) => html`<option value="${source.id}">${source.name}</option>`)}
</select></label>
<button type="submit">搜索</button>
</form>
<p class="meta" role="status" id="search-status"></p>
<div id="search-results" data-shared="${context.shared}" data-pages="${context.pages}"></div>`;
}

/** assetFiles are the stylesheet, the icon and the search script, shared by both variants. */
export function assetFiles(searchScript: string): SiteFile[] {
  return [
    { path: SITE_PATHS.css, content: APP_CSS },
    { path: SITE_PATHS.icon, content: ICON_SVG },
    { path: SITE_PATHS.script, content: searchScript },
  ];
}
