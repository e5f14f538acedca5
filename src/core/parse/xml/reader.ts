import { decodeHTMLStrict, decodeXML } from 'entities';
import { resolveUrl } from '../common/urls.js';
import { Warnings } from '../common/warnings.js';

/** XmlChild is a text run or an element. */
export type XmlChild = XmlElement | string;

/**
 * XmlElement is one element of the lightweight tree the reader builds. `key` is the element's
 * lower-cased local name with its namespace replaced by a canonical prefix (`dc:creator`,
 * `media:content`, `atom:link`); elements of the document's own format have no prefix (`item`,
 * `entry`, `pubdate`).
 */
export interface XmlElement {
  key: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlChild[];
  /** The effective xml:base, already resolved, or undefined when no base is known. */
  base: string | undefined;
  /** The effective xml:lang. */
  lang: string | undefined;
  /** True for elements in the XHTML namespace: serialized with their local name. */
  xhtml: boolean;
}

/** RootDecision tells the reader how to treat the document once it has seen the root element. */
export interface RootDecision {
  /** The key of elements handed to `onEntry` and not kept in the tree (`item`, `entry`). */
  entryKey: string;
  /** A canonical prefix that is the document's own namespace and is dropped from keys (`atom`). */
  ownPrefix?: string;
}

/**
 * XmlHandler receives each top-level element until it accepts one as the root (returning how to
 * read it; undefined skips the element), then each finished entry.
 */
export interface XmlHandler {
  onRoot(root: XmlElement): RootDecision | undefined;
  /** onEntry receives a closed entry and its position in document order (by start tag). */
  onEntry(entry: XmlElement, index: number): void;
}

/** XmlReadResult is the root element, without the entries already handed out. */
export interface XmlReadResult {
  root: XmlElement | undefined;
  /** The first top-level element the handler refused, for the not-a-feed message. */
  rejected: string | undefined;
}

// Canonical prefixes of the namespaces feeds use; lower-cased URIs, since feeds get the case wrong.
const NAMESPACES: Record<string, string> = {
  'http://purl.org/rss/1.0/': '',
  'http://purl.org/net/rss1.1#': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/elements/1.0/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://video.search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://wellformedweb.org/commentapi/': 'wfw',
  'http://www.w3.org/xml/1998/namespace': 'xml',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
};

/** Binding is one in-scope namespace declaration: a prefix ('' for the default) and its canonical prefix. */
interface Binding {
  prefix: string;
  canon: string;
}

// The C0 controls XML 1.0 forbids (§2.2), which real feeds still contain (WeChat feeds). U+FFFE and
// U+FFFF are forbidden too but not looked for: adding them to the class doubles the cost of this
// whole-document scan on ASCII text, for characters no real feed has.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL_CHARS_ALL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/g;
// Anything but the five predefined entities (character references included, since they must name
// a legal character) takes the checking slow path.
const UNUSUAL_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)/;
const REFERENCE = /&(?:#(?:[xX]([0-9a-fA-F]+)|([0-9]+))|([A-Za-z_:][\w.:-]*))?(;?)/g;
const NOT_BLANK = /[^\s]/;
const ATTRIBUTE_SPECIALS = /[<&\t\n\r]/;
// Deeper nesting is no feed; the cap keeps the recursive tree helpers far from the stack limit.
const MAX_DEPTH = 256;

/**
 * XmlReader is a tolerant, streaming XML reader: one pass over the text, never throws, and reports
 * every well-formedness error it recovers from. Entries are handed to the handler as soon as they
 * close and are not kept, so memory stays proportional to the largest entry rather than the document.
 * No DTD entity is ever expanded and no external entity is ever loaded.
 */
export class XmlReader {
  private readonly text: string;
  private readonly handler: XmlHandler;
  private readonly warnings: Warnings;
  private readonly docBase: string | undefined;
  private readonly stack: XmlElement[] = [];
  // Namespace declarations in scope, innermost last, and how many each open element added: a flat
  // stack is much cheaper than a scope object per element (podcast feeds redeclare on every element).
  private readonly bindings: Binding[] = [
    { prefix: 'xml', canon: 'xml' },
    { prefix: 'xmlns', canon: 'xmlns' },
    { prefix: '', canon: '' },
  ];
  private readonly bindingCounts: number[] = [];
  private root: XmlElement | undefined;
  private rootClosed = false;
  private rejected: string | undefined;
  private readonly openEntries = new Map<XmlElement, number>();
  private entryCount = 0;
  private entryKey = '\0';
  private ownPrefix = '\0';
  private checkChars: boolean;
  private hasExternalDtd = false;
  private readonly dtdEntities = new Set<string>();
  private readonly missingEndings = new Set<string>();
  private skippedDepth = 0;
  private strayText = false;

  constructor(text: string, handler: XmlHandler, warnings: Warnings, docBase: string | undefined) {
    this.text = text;
    this.handler = handler;
    this.warnings = warnings;
    this.docBase = docBase;
    this.checkChars = ILLEGAL_CHARS.test(text);
  }

  /** read runs the single pass and returns the root element with its non-entry content. */
  read(): XmlReadResult {
    const text = this.text;
    const len = text.length;
    let pos = 0;
    while (pos < len) {
      const lt = text.indexOf('<', pos);
      const end = lt < 0 ? len : lt;
      if (end > pos) this.onText(text.slice(pos, end), pos);
      if (lt < 0) break;
      pos = this.markup(lt);
    }
    while (this.stack.length > 0) {
      const open = this.stack[this.stack.length - 1] as XmlElement;
      this.warnings.recover(len, `unclosed <${open.name}> at end of document`, this.text);
      this.close();
    }
    return { root: this.root, rejected: this.rejected };
  }

  private markup(lt: number): number {
    const text = this.text;
    const next = text.charCodeAt(lt + 1);
    if (next === 47 /* / */) return this.closeTag(lt);
    if (next === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) return this.comment(lt);
      if (text.startsWith('<![CDATA[', lt)) return this.cdata(lt);
      if (text.startsWith('DOCTYPE', lt + 2) || text.startsWith('doctype', lt + 2)) return this.doctype(lt);
      const gt = text.indexOf('>', lt);
      this.warnings.add(lt, 'unknown markup declaration "<!" skipped', text);
      return gt < 0 ? text.length : gt + 1;
    }
    if (next === 63 /* ? */) return this.processingInstruction(lt);
    if (isNameStart(next)) return this.openTag(lt);
    this.warnings.add(lt, "'<' not starting a tag; kept as text", text);
    this.onText('<', lt);
    return lt + 1;
  }

  private onText(raw: string, pos: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      if (!this.strayText && NOT_BLANK.test(raw)) {
        this.strayText = true;
        this.warnings.recover(pos, 'text outside the root element ignored', this.text);
      }
      return;
    }
    let value = raw;
    if (this.checkChars) value = this.stripIllegal(value, pos);
    if (value.includes(']]>')) this.warnings.add(pos + value.indexOf(']]>'), "']]>' in text outside a CDATA section", this.text);
    if (value.includes('&')) value = this.decodeReferences(value, pos);
    append(parent, value);
  }

  private stripIllegal(value: string, pos: number): string {
    const index = value.search(ILLEGAL_CHARS);
    if (index < 0) return value;
    const code = value.charCodeAt(index);
    this.warnings.add(
      pos + index,
      `illegal control character U+${code.toString(16).toUpperCase().padStart(4, '0')} removed`,
      this.text,
    );
    return value.replace(ILLEGAL_CHARS_ALL, '');
  }

  private decodeReferences(value: string, pos: number): string {
    if (!UNUSUAL_REFERENCE.test(value)) return decodeXML(value);
    return value.replace(REFERENCE, (match: string, hex: string | undefined, dec: string | undefined, name: string | undefined, semi: string, offset: number) => {
      const at = pos + offset;
      if (hex !== undefined || dec !== undefined) {
        const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec as string, 10);
        if (!semi) this.warnings.add(at, `character reference ${match} without ';'`, this.text);
        if (!isXmlChar(code)) {
          this.warnings.add(at, `character reference ${match} to a character XML forbids; removed`, this.text);
          return '';
        }
        return String.fromCodePoint(code);
      }
      if (name === undefined) {
        this.warnings.add(at, "bare '&' not starting an entity reference; kept as text", this.text);
        return match;
      }
      if (!semi) {
        this.warnings.add(at, `entity reference &${name} without ';'; kept as text`, this.text);
        return match;
      }
      switch (name) {
        case 'amp':
          return '&';
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      const html = decodeHTMLStrict(match);
      const declared = this.dtdEntities.has(name);
      if (declared && html === match) {
        this.warnings.add(at, `entity &${name}; declared in the DTD was not expanded (DTD entities never are)`, this.text);
        return '';
      }
      if (html !== match) {
        // Legal when declared: inline (`<!ENTITY nbsp "&#160;">`, given its HTML meaning rather than
        // expanded) or in an external DTD (RSS 0.91's declares the HTML entities).
        if (!declared && !this.hasExternalDtd) {
          this.warnings.add(at, `undefined entity &${name}; decoded as its HTML meaning`, this.text);
        }
        return html;
      }
      this.warnings.add(at, `undefined entity &${name}; kept as text`, this.text);
      return match;
    });
  }

  private comment(lt: number): number {
    const end = this.text.indexOf('-->', lt + 4);
    if (end < 0) {
      this.warnings.recover(lt, 'unterminated comment runs to the end of the document', this.text);
      return this.text.length;
    }
    if (this.text.slice(lt + 4, end).includes('--')) {
      this.warnings.add(lt, "'--' inside a comment", this.text);
    }
    return end + 3;
  }

  private cdata(lt: number): number {
    const text = this.text;
    const start = lt + 9;
    let close = text.indexOf(']]>', start);
    const parentName = this.stack[this.stack.length - 1]?.name;
    // A section followed by its element's end tag (the usual case) needs no second scan for nesting.
    const endsElement = parentName !== undefined && text.startsWith(`</${parentName}>`, close + 3);
    if (close >= 0 && !endsElement && text.slice(start, close).includes('<![CDATA[')) {
      // Content that itself contained a CDATA section (MathJax in Hexo feeds). The inner sections
      // are often unbalanced, so the outer one is taken to end where its element does.
      this.warnings.add(lt, 'nested CDATA section; the inner one is kept as text', text);
      const ending = parentName === undefined ? -1 : this.findCdataEnding(parentName, start);
      if (ending >= 0) close = ending;
    }
    let end = close;
    if (end < 0) {
      this.warnings.recover(lt, 'unterminated CDATA section runs to the end of the document', text);
      end = text.length;
    }
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.warnings.add(lt, 'CDATA section outside the root element ignored', text);
    } else {
      let value = text.slice(start, end);
      if (this.checkChars) value = this.stripIllegal(value, lt);
      append(parent, value);
    }
    return end < 0 ? text.length : Math.min(text.length, end + 3);
  }

  /** findCdataEnding finds `]]></name>`; a miss is remembered, so hostile input stays linear. */
  private findCdataEnding(name: string, from: number): number {
    if (this.missingEndings.has(name)) return -1;
    const index = this.text.indexOf(`]]></${name}>`, from);
    if (index < 0) this.missingEndings.add(name);
    return index;
  }

  private doctype(lt: number): number {
    const text = this.text;
    let i = lt + 9;
    let quote = 0;
    let subsetStart = -1;
    let subsetEnd = -1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91 /* [ */ && subsetStart < 0) {
        subsetStart = i + 1;
        subsetEnd = this.internalSubsetEnd(subsetStart);
        i = subsetEnd;
      } else if (c === 62 /* > */) break;
    }
    const head = text.slice(lt + 9, subsetStart < 0 ? i : subsetStart);
    if (/\b(?:SYSTEM|PUBLIC)\b/.test(head)) this.hasExternalDtd = true;
    if (subsetStart >= 0) {
      // Names only: the values are never expanded (billion laughs) and never fetched (XXE).
      const subset = text.slice(subsetStart, subsetEnd);
      for (const match of subset.matchAll(/<!ENTITY\s+(%\s+)?([^\s"'>]+)/g)) {
        if (!match[1] && match[2]) this.dtdEntities.add(match[2]);
      }
    }
    if (this.root) this.warnings.add(lt, 'DOCTYPE after the root element ignored', text);
    if (i >= text.length) {
      this.warnings.recover(lt, 'unterminated DOCTYPE runs to the end of the document', text);
      return text.length;
    }
    return i + 1;
  }

  private internalSubsetEnd(from: number): number {
    const text = this.text;
    let quote = 0;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 60 && text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) return text.length;
        i = end + 2;
      } else if (c === 93 /* ] */) return i;
    }
    return text.length;
  }

  private processingInstruction(lt: number): number {
    const text = this.text;
    const end = text.indexOf('?>', lt + 2);
    if (end < 0) {
      this.warnings.recover(lt, 'unterminated processing instruction runs to the end of the document', text);
      return text.length;
    }
    const body = text.slice(lt + 2, end);
    if (/^xml(?:\s|$)/i.test(body)) {
      // Blank lines before the declaration are common and harmless (template output); not reported.
      if (this.root || NOT_BLANK.test(text.slice(0, lt))) {
        this.warnings.add(lt, 'XML declaration not at the start of the document', text);
      }
    }
    return end + 2;
  }

  private closeTag(lt: number): number {
    const text = this.text;
    let gt = text.indexOf('>', lt + 2);
    let resume = gt + 1;
    if (gt < 0) {
      gt = text.length;
      resume = gt;
      this.warnings.recover(lt, 'unterminated close tag at end of document', text);
    }
    const name = text.slice(lt + 2, gt).trim();
    if (this.skippedDepth > 0) {
      this.skippedDepth--;
      return resume;
    }
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (top && top.name === name) {
      this.close();
      return resume;
    }
    let index = stack.length - 1;
    while (index >= 0 && (stack[index] as XmlElement).name !== name) index--;
    if (index < 0) {
      this.warnings.recover(lt, `stray close tag </${name}> ignored`, text);
      return resume;
    }
    this.warnings.recover(
      lt,
      `mismatched close tag </${name}>: closed ${stack.slice(index + 1).reverse().map((el) => `<${el.name}>`).join(', ')} implicitly`,
      text,
    );
    while (stack.length > index) this.close();
    return resume;
  }

  private openTag(lt: number): number {
    const text = this.text;
    const len = text.length;
    let i = lt + 1;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 62 || c === 47 || c <= 32) break;
      if (c === 60) break;
      i++;
    }
    const name = text.slice(lt + 1, i);
    // A plain object keeps V8's fast properties; lookups below use Object.hasOwn or fixed names.
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    let namespaced = false;
    for (;;) {
      while (i < len && text.charCodeAt(i) <= 32) i++;
      if (i >= len) {
        this.warnings.recover(lt, `unterminated tag <${name}> at end of document`, text);
        break;
      }
      const c = text.charCodeAt(i);
      if (c === 62) {
        i++;
        break;
      }
      if (c === 47) {
        if (text.charCodeAt(i + 1) === 62) {
          selfClosing = true;
          i += 2;
          break;
        }
        i++;
        continue;
      }
      if (c === 60) {
        this.warnings.recover(lt, `tag <${name}> is not closed with '>'`, text);
        break;
      }
      const nameStart = i;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === 61 || d === 62 || d === 47 || d <= 32 || d === 60) break;
        i++;
      }
      const attrName = text.slice(nameStart, i);
      while (i < len && text.charCodeAt(i) <= 32) i++;
      let value = '';
      if (text.charCodeAt(i) === 61) {
        i++;
        while (i < len && text.charCodeAt(i) <= 32) i++;
        const q = text.charCodeAt(i);
        if (q === 34 || q === 39) {
          const close = text.indexOf(q === 34 ? '"' : "'", i + 1);
          if (close < 0) {
            this.warnings.recover(lt, `unterminated attribute value in <${name}>`, text);
            value = text.slice(i + 1);
            i = len;
          } else {
            value = text.slice(i + 1, close);
            i = close + 1;
          }
        } else {
          const valueStart = i;
          while (i < len) {
            const d = text.charCodeAt(i);
            if (d <= 32 || d === 62) break;
            i++;
          }
          value = text.slice(valueStart, i);
          this.warnings.add(lt, `unquoted value of attribute ${attrName} in <${name}>`, text);
        }
      } else {
        this.warnings.add(lt, `attribute ${attrName} without a value in <${name}>`, text);
      }
      if (this.checkChars) value = this.stripIllegal(value, lt);
      if (ATTRIBUTE_SPECIALS.test(value)) {
        if (value.includes('<')) this.warnings.add(lt, `'<' inside the value of attribute ${attrName}`, text);
        if (value.includes('&')) value = this.decodeReferences(value, lt);
        value = value.replace(/[\t\n\r]/g, ' ');
      }
      if (Object.hasOwn(attrs, attrName)) this.warnings.add(lt, `duplicate attribute ${attrName} in <${name}>`, text);
      attrs[attrName] = value;
      if (attrName.startsWith('xmlns')) namespaced = true;
    }
    const opened = this.open(name, attrs, namespaced, lt);
    if (!opened && !selfClosing) this.skippedDepth++;
    if (opened && selfClosing) this.close();
    return i;
  }

  private open(name: string, attrs: Record<string, string>, namespaced: boolean, pos: number): boolean {
    if (this.stack.length >= MAX_DEPTH) {
      this.warnings.add(pos, `elements nested deeper than ${MAX_DEPTH} levels ignored`, this.text);
      return false;
    }
    const parent = this.stack[this.stack.length - 1];
    if (!parent && this.rootClosed) {
      this.warnings.recover(pos, `element <${name}> after the root element ignored`, this.text);
    }
    let added = 0;
    if (namespaced) {
      for (const attr in attrs) {
        if (attr === 'xmlns') {
          this.bindings.push({ prefix: '', canon: canonicalPrefix(attrs[attr] as string, '') });
          added++;
        } else if (attr.startsWith('xmlns:')) {
          const prefix = attr.slice(6);
          this.bindings.push({ prefix, canon: canonicalPrefix(attrs[attr] as string, prefix) });
          added++;
        }
      }
    }
    this.bindingCounts.push(added);
    const colon = name.indexOf(':');
    let prefix = '';
    let local = name;
    if (colon > 0) {
      prefix = name.slice(0, colon);
      local = name.slice(colon + 1);
    }
    let canon = this.lookupPrefix(prefix);
    if (canon === undefined) {
      this.warnings.add(pos, `undeclared namespace prefix "${prefix}" in <${name}>`, this.text);
      canon = prefix;
    }
    if (canon === this.ownPrefix) canon = '';
    // Keys are lower-cased: feeds write <pubdate>, <PubDate> and <Description> too.
    const lower = local.toLowerCase();
    const xmlBase = attrs['xml:base'];
    const parentBase = parent ? parent.base : this.docBase;
    const element: XmlElement = {
      key: canon === '' ? lower : `${canon}:${lower}`,
      name,
      attrs,
      children: [],
      base: xmlBase === undefined ? parentBase : (resolveUrl(xmlBase.trim(), parentBase) ?? parentBase),
      lang: attrs['xml:lang'] ?? parent?.lang,
      xhtml: canon === 'xhtml',
    };
    if (!parent) {
      if (!this.root) {
        const decision = this.handler.onRoot(element);
        if (decision === undefined) {
          // Junk before the feed (PHP warnings as HTML are common): skip it and keep looking.
          this.rejected ??= name;
          this.warnings.add(pos, `top-level element <${name}> is not a feed; ignored`, this.text);
        } else {
          this.root = element;
          this.entryKey = decision.entryKey;
          if (decision.ownPrefix !== undefined) {
            this.ownPrefix = decision.ownPrefix;
            if (element.key.startsWith(`${decision.ownPrefix}:`)) element.key = lower;
          }
        }
      }
    } else if (element.key === this.entryKey && (this.stack.length <= 3 || this.openEntries.has(parent))) {
      // An item inside an item (illegally nested) is an entry of its own, as in other readers.
      this.openEntries.set(element, this.entryCount++);
    } else {
      parent.children.push(element);
    }
    this.stack.push(element);
    return true;
  }

  private lookupPrefix(prefix: string): string | undefined {
    const bindings = this.bindings;
    for (let i = bindings.length - 1; i >= 0; i--) {
      const binding = bindings[i] as Binding;
      if (binding.prefix === prefix) return binding.canon;
    }
    return undefined;
  }

  private close(): void {
    const element = this.stack.pop();
    this.bindings.length -= this.bindingCounts.pop() ?? 0;
    if (!element) return;
    const index = this.openEntries.get(element);
    if (index !== undefined) {
      this.openEntries.delete(element);
      this.handler.onEntry(element, index);
    }
    if (this.stack.length === 0 && this.root) this.rootClosed = true;
  }
}

function canonicalPrefix(uri: string, prefix: string): string {
  const exact = NAMESPACES[uri];
  if (exact !== undefined) return exact;
  const known = NAMESPACES[uri.trim().toLowerCase()];
  if (known !== undefined) return known;
  return prefix;
}

function append(parent: XmlElement, value: string): void {
  if (value === '') return;
  const children = parent.children;
  const last = children.length - 1;
  if (last >= 0 && typeof children[last] === 'string') children[last] = (children[last] as string) + value;
  else children.push(value);
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

function isXmlChar(code: number): boolean {
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code === 0xfffe || code === 0xffff) return false;
  return code <= 0x10ffff;
}
