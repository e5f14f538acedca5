import { decodeText } from '../decode/index.js';
import { NewsmirrorError, errorMessage, isNewsmirrorError } from '../errors.js';
import type { Entry, FeedDoc, ParseOptions } from '../model/feed.js';
import { detectAtom } from './atom/detect.js';
import { parseAtomEntry, parseAtomFeed } from './atom/parse.js';
import type { Draft } from './common/draft.js';
import { fieldText } from '../html/index.js';
import { resolveUrl } from './common/urls.js';
import { Warnings } from './common/warnings.js';
import { detectJson } from './json/detect.js';
import { itemsOf, parseJsonEntry, parseJsonTop } from './json/parse.js';
import { detectRdf } from './rdf/detect.js';
import { parseRdfChannel, parseRdfEntry } from './rdf/parse.js';
import { detectRss } from './rss/detect.js';
import { parseRssChannel, parseRssEntry } from './rss/parse.js';
import { XmlReader, type XmlElement, type XmlHandler, type RootDecision } from './xml/reader.js';
import { child } from './xml/tree.js';

type Format = FeedDoc['format'];

/**
 * parseFeed turns the bytes of an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 or JSON Feed 1.0/1.1
 * document into one FeedDoc. It is lenient: a malformed document is recovered and every problem is
 * listed in `warnings`, which is empty exactly when the document was well-formed (and correctly
 * encoded); `recovered` says that a repair guessed at the structure (a cut-off end, an error page
 * after the root), so the entries may be incomplete. Only a document that is not a feed at all throws, a NewsmirrorError with code
 * `not-a-feed` (a bug would surface as code `internal`, never as an untyped error). Relative URLs
 * are resolved against xml:base, the Content-Location header and `options.url`. The feed
 * `description` is plain text; entry summaries and contents are HTML. See README.md for the rules.
 *
 * @example
 * const doc = parseFeed(bytes, { url: 'https://feedx.net/rss/rfi.xml', contentType: 'text/xml' });
 * doc.entries[0]?.title;
 */
export function parseFeed(bytes: Uint8Array, options: ParseOptions = {}): FeedDoc {
  try {
    return parse(bytes, options);
  } catch (error) {
    if (isNewsmirrorError(error)) throw error;
    // A bug here must still reach the pipeline as a typed, per-source error.
    throw new NewsmirrorError('internal', 'parse', `unexpected failure: ${errorMessage(error)}`, { url: options.url, cause: error });
  }
}

function parse(bytes: Uint8Array, options: ParseOptions): FeedDoc {
  const headers = lowerCaseKeys(options.headers);
  const contentType = options.contentType ?? headers['content-type'];
  const kind = looksLikeJson(bytes) ? 'json' : 'xml';
  const decoded = decodeText(bytes, { contentType, override: options.encoding, kind });
  const warnings = new Warnings();
  for (const warning of decoded.warnings) warnings.note(warning);
  const location = headers['content-location'];
  const base = location === undefined ? options.url : (resolveUrl(location.trim(), options.url) ?? options.url);
  const doc = kind === 'json' ? readJson(decoded.text, base, warnings, options.url) : readXml(decoded.text, base, warnings, options.url);
  const language = headers['content-language']?.split(',')[0]?.trim();
  if (doc.language === undefined && language) doc.language = language;
  doc.encoding = decoded.encoding;
  doc.warnings = warnings.list();
  doc.recovered = warnings.recovered;
  return doc;
}

function readXml(text: string, base: string | undefined, warnings: Warnings, url: string | undefined): FeedDoc {
  const entries: Entry[] = [];
  const state: { format: Format; version: string; toEntry: (element: XmlElement) => Entry } = {
    format: 'rss',
    version: '',
    toEntry: parseRssEntry,
  };
  const handler: XmlHandler = {
    onRoot(root: XmlElement): RootDecision | undefined {
      const rss = detectRss(root);
      if (rss) {
        state.version = rss.version;
        return { entryKey: 'item' };
      }
      const rdf = detectRdf(root);
      if (rdf) {
        state.format = 'rdf';
        state.version = rdf.version;
        state.toEntry = parseRdfEntry;
        return { entryKey: 'item' };
      }
      const atom = detectAtom(root);
      if (atom) {
        state.format = 'atom';
        state.version = atom.version;
        state.toEntry = parseAtomEntry;
        return { entryKey: 'entry', ownPrefix: 'atom' };
      }
      return undefined;
    },
    onEntry(element: XmlElement, index: number): void {
      entries[index] = state.toEntry(element);
    },
  };
  const { root, rejected } = new XmlReader(text, handler, warnings, base).read();
  if (!root) {
    const why = rejected === undefined ? 'no root element: the document is empty or not XML' : `root element <${rejected}> is not rss, rdf:RDF or an Atom feed`;
    throw new NewsmirrorError('not-a-feed', 'parse', why, { url });
  }
  let draft: Draft;
  if (state.format === 'atom') draft = parseAtomFeed(root);
  else if (state.format === 'rdf') draft = parseRdfChannel(child(root, 'channel') ?? root);
  else draft = parseRssChannel(child(root, 'channel') ?? root);
  return assemble(state.format, state.version, draft, entries);
}

function readJson(text: string, base: string | undefined, warnings: Warnings, url: string | undefined): FeedDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // Hand-written JSON Feeds often end arrays or objects with a comma; that much is recoverable.
    try {
      value = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
      warnings.note('JSON: trailing commas removed');
    } catch {
      throw new NewsmirrorError('not-a-feed', 'parse', 'the document looks like JSON but does not parse as JSON', { url, cause });
    }
  }
  const detected = detectJson(value);
  if (!detected) throw new NewsmirrorError('not-a-feed', 'parse', 'JSON document is not a JSON Feed', { url });
  const feed = value as Record<string, unknown>;
  const entries = itemsOf(feed).map((item) => parseJsonEntry(item, base));
  return assemble('json', detected.version, parseJsonTop(feed, base), entries);
}

function assemble(format: Format, version: string, draft: Draft, entries: Entry[]): FeedDoc {
  const v = draft.values;
  const doc: FeedDoc = { format, authors: draft.authors.length > 0 ? draft.authors : draft.fallbackAuthors, categories: draft.categories, entries, warnings: [], recovered: false };
  if (version !== '') doc.version = version;
  if (v.title !== undefined) doc.title = v.title;
  if (v.link !== undefined) doc.link = v.link;
  if (v.summary !== undefined) {
    const description = fieldText(v.summary);
    if (description !== '') doc.description = description;
  }
  if (v.language !== undefined) doc.language = v.language;
  if (v.rights !== undefined) doc.rights = v.rights;
  if (v.id !== undefined) doc.id = v.id;
  if (v.ttl !== undefined) doc.ttl = v.ttl;
  if (v.published !== undefined) doc.published = v.published;
  if (v.updated !== undefined) doc.updated = v.updated;
  return doc;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b;
  }
  return false;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}
