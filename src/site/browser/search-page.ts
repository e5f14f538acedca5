/**
 * The static site's search, in the browser: bundled (src/site/bundle.ts) into `assets/search.js`
 * from this file, the server's own query parser and the index reader, so the browser parses a query
 * exactly as `/api/search` does. Data files are loaded as `<script>` elements that call `NMS.push`,
 * because Chromium refuses `fetch()` from `file://` pages.
 *
 * The project compiles without the DOM library: the few DOM members used are declared here.
 */
import { NewsmirrorError } from '../../core/errors.js';
import { highlight } from '../../core/search/highlight.js';
import { parseQuery, type ParsedQuery } from '../../core/search/query.js';
import { MANIFEST_PATH, META_SIZE, SOURCES_PATH, metaPath, searchSegment, textPath, type DocumentSources, type Manifest, type MetaRow, type SearchData, type TextEntry } from '../search-index.js';
import { SITE_PATHS } from '../paths.js';

interface DomElement {
  textContent: string | null;
  innerHTML: string;
  value: string;
  src: string;
  href: string;
  className: string;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  appendChild(child: DomElement): DomElement;
}

interface BrowserGlobals {
  document: { getElementById(id: string): DomElement | null; createElement(tag: string): DomElement; head: DomElement };
  location: { search: string };
  NMS?: { push(data: SearchData): void };
}

const PAGE_SIZE = 20;
/** SNIPPET_LENGTH is the server's snippet length (adapters/search), so both show the same text. */
const SNIPPET_LENGTH = 160;
const page = globalThis as unknown as BrowserGlobals;
const loaded = new Map<string, unknown>();
const loading = new Map<string, Promise<unknown>>();
page.NMS = { push: (data) => void loaded.set(data.k, data.v) };

function el(id: string): DomElement {
  const found = page.document.getElementById(id);
  if (found === null) throw new Error(`search page: no #${id}`);
  return found;
}

const results = el('search-results');
const status = el('search-status');
const shared = results.getAttribute('data-shared') ?? '';
const pages = results.getAttribute('data-pages') ?? '';

/** load runs one data script once and returns what it registered. */
function load<T>(path: string): Promise<T> {
  let pending = loading.get(path);
  if (pending === undefined) {
    pending = new Promise((resolve, reject) => {
      const script = page.document.createElement('script');
      script.onload = () => (loaded.has(path) ? resolve(loaded.get(path)) : reject(new Error(`${path} registered nothing`)));
      script.onerror = () => reject(new Error(`cannot load ${path}`));
      script.src = `${shared}${path}`;
      page.document.head.appendChild(script);
    });
    loading.set(path, pending);
  }
  return pending as Promise<T>;
}

/** search returns the matching documents' numbers, newest (highest) first. */
async function search(query: ParsedQuery, manifest: Manifest, sourceIndex: number | undefined): Promise<number[]> {
  const blocks = await Promise.all(
    manifest.segments.map(async (segment) => {
      const docs = await searchSegment(query, { segment, load });
      return docs.map((local) => segment.start + local);
    }),
  );
  const sources = sourceIndex === undefined ? undefined : await load<DocumentSources>(SOURCES_PATH);
  const docs = blocks.flat().filter((doc) => sources === undefined || sources.charCodeAt(doc) - 48 === sourceIndex);
  return docs.sort((a, b) => b - a);
}

async function rows(docs: number[]): Promise<MetaRow[]> {
  const chunks = await Promise.all(docs.map((doc) => load<MetaRow[]>(metaPath(Math.floor(doc / META_SIZE)))));
  return docs.map((doc, index) => chunks[index]?.[doc % META_SIZE] as MetaRow);
}

function text(tag: string, value: string, className?: string): DomElement {
  const node = page.document.createElement(tag);
  node.textContent = value;
  if (className !== undefined) node.className = className;
  return node;
}

async function run(): Promise<void> {
  const params = new URLSearchParams(page.location.search);
  const raw = params.get('q') ?? '';
  const source = params.get('source') || undefined;
  const pageNumber = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  el('search-q').value = raw;
  el('site-q').value = raw;
  el('search-source').value = source ?? '';
  if (raw.trim() === '') return;
  let query: ParsedQuery;
  try {
    query = parseQuery(raw);
  } catch (error) {
    status.textContent = error instanceof NewsmirrorError ? error.message : String(error);
    return;
  }
  const manifest = await load<Manifest>(MANIFEST_PATH);
  const sourceIndex = source === undefined ? undefined : manifest.sources.findIndex((known) => known.id === source);
  if (sourceIndex === -1) {
    status.textContent = `没有这个来源：${source ?? ''}`;
    return;
  }
  const docs = await search(query, manifest, sourceIndex);
  status.setAttribute('data-total', String(docs.length));
  status.textContent = `找到 ${docs.length} 篇文章`;
  const shown = await rows(docs.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE));
  const lines = await Promise.all(shown.map(([id]) => load<TextEntry>(textPath(id))));
  const list = page.document.createElement('ul');
  list.className = 'articles';
  for (const [position, [id, index]] of shown.entries()) {
    const [title, time, datetime, body] = lines[position] ?? ['', '', '', ''];
    const item = page.document.createElement('li');
    const when = text('time', time);
    when.setAttribute('datetime', datetime);
    item.appendChild(when);
    item.appendChild(text('span', manifest.sources[index]?.name ?? '', 'src'));
    const link = text('a', title || '（无标题）', 'title');
    link.href = `${pages}${SITE_PATHS.article(id)}`;
    item.appendChild(link);
    const snippet = page.document.createElement('p');
    snippet.className = 'snippet';
    // highlight escapes the whole text and adds only its own <mark> elements.
    snippet.innerHTML = highlight(body === '' ? title : body, query.highlights, SNIPPET_LENGTH);
    item.appendChild(snippet);
    list.appendChild(item);
  }
  results.appendChild(list);
  if (docs.length > pageNumber * PAGE_SIZE) {
    const next = new URLSearchParams(params);
    next.set('page', String(pageNumber + 1));
    const nav = page.document.createElement('nav');
    nav.className = 'pager';
    const link = text('a', '下一页 →');
    link.href = `?${next.toString()}`;
    nav.appendChild(text('span', ''));
    nav.appendChild(link);
    results.appendChild(nav);
  }
}

run().catch((error: unknown) => {
  status.textContent = `搜索出错：${error instanceof Error ? error.message : String(error)}`;
});
