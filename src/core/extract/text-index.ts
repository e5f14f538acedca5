// What the scorer weighs of an element's subtree (text length, link text, commas, text under headings,
// counts of paragraphs and images…), computed once per element from its children's figures instead of
// walking the subtree again for every ancestor that asks: the candidates are nested, and re-reading
// each one's text made scoring quadratic in the page's depth. The figures equal what innerText,
// linkDensity, textDensity and countTag give on the same tree, so results do not change.
import { attr, isHanUnit, isSpace, isTag, isText, type AnyNode, type Element } from './dom.js';

/** HEADINGS are the heading elements. */
export const HEADINGS: ReadonlySet<string> = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** DIV_TO_P are the elements whose presence keeps a div from becoming a paragraph (Readability's DIV_TO_P_ELEMS). */
export const DIV_TO_P: ReadonlySet<string> = new Set(['blockquote', 'dl', 'div', 'img', 'ol', 'p', 'pre', 'table', 'ul']);
// The text-holding elements of Readability's text density.
const TEXTISH: ReadonlySet<string> = new Set(['span', 'li', 'td', ...DIV_TO_P]);
/** EMBEDS are the embedded-content elements (kept only when they show a known video host). */
export const EMBEDS: ReadonlySet<string> = new Set(['object', 'embed', 'iframe']);
const IN_PAGE_ANCHOR = /^#.+/;

/** Figures of one subtree; the text ones describe `textContent` as innerText would trim and collapse it. */
interface Figures {
  /** Code units that are not white space. */
  nonSpace: number;
  /** Runs of white space (innerText makes each one character, and drops the first and last). */
  runs: number;
  startsWithSpace: boolean;
  endsWithSpace: boolean;
  han: number;
  commas: number;
  /** Code units of textContent, white space included. */
  raw: number;
  /** Text of descendant links: in-page anchors (`href="#…"`) apart, as they weigh 0.3. */
  linked: number;
  anchored: number;
  /** Each text node's length with its own runs of white space collapsed (textDensity's measure). */
  collapsed: number;
  /** textDensity numerators: collapsed text times the number of heading / text-holding ancestors. */
  inHeadings: number;
  inTextish: number;
  /** innerText length of the descendant lists (nested lists count once per level). */
  listLength: number;
  p: number;
  img: number;
  li: number;
  input: number;
  tables: number;
  embeds: number;
}

function emptyFigures(): Figures {
  return {
    nonSpace: 0,
    runs: 0,
    startsWithSpace: false,
    endsWithSpace: false,
    han: 0,
    commas: 0,
    raw: 0,
    linked: 0,
    anchored: 0,
    collapsed: 0,
    inHeadings: 0,
    inTextish: 0,
    listLength: 0,
    p: 0,
    img: 0,
    li: 0,
    input: 0,
    tables: 0,
    embeds: 0,
  };
}

// The commas Readability counts as clause separators (its REGEXPS.commas), Chinese ones included.
function isComma(c: number): boolean {
  return (
    c === 0x2c || c === 0x60c || c === 0x3001 || c === 0xff0c || c === 0xfe50 || c === 0xfe10 || c === 0xfe11 || c === 0x2e41 || c === 0x2e34 || c === 0x2e32
  );
}

function addText(f: Figures, data: string): void {
  if (data.length === 0) return;
  f.raw += data.length;
  if (f.nonSpace === 0 && f.runs === 0) f.startsWithSpace = isSpace(data.charCodeAt(0));
  // Runs are counted across text nodes (innerText joins them), collapsed length within this one.
  let joinedSpace = f.endsWithSpace;
  let ownSpace = false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (isSpace(c)) {
      if (!joinedSpace) f.runs++;
      if (!ownSpace) f.collapsed++;
      joinedSpace = ownSpace = true;
    } else {
      f.nonSpace++;
      f.collapsed++;
      joinedSpace = ownSpace = false;
      if (c >= 0x3400 && isHanUnit(c)) f.han++;
      else if (isComma(c)) f.commas++;
    }
  }
  f.endsWithSpace = joinedSpace;
}

function addChild(f: Figures, child: Element, c: Figures): void {
  if (c.nonSpace > 0 || c.runs > 0) {
    if (f.nonSpace === 0 && f.runs === 0) f.startsWithSpace = c.startsWithSpace;
    f.runs += c.runs - (f.endsWithSpace && c.startsWithSpace ? 1 : 0);
    f.nonSpace += c.nonSpace;
    f.endsWithSpace = c.endsWithSpace;
  }
  f.han += c.han;
  f.commas += c.commas;
  f.raw += c.raw;
  f.collapsed += c.collapsed;
  f.linked += c.linked;
  f.anchored += c.anchored;
  f.inHeadings += c.inHeadings + (HEADINGS.has(child.name) ? c.collapsed : 0);
  f.inTextish += c.inTextish + (TEXTISH.has(child.name) ? c.collapsed : 0);
  f.listLength += c.listLength;
  f.p += c.p;
  f.img += c.img;
  f.li += c.li;
  f.input += c.input;
  f.tables += c.tables;
  f.embeds += c.embeds;
  switch (child.name) {
    case 'a':
      if (IN_PAGE_ANCHOR.test(attr(child, 'href'))) f.anchored += lengthOf(c);
      else f.linked += lengthOf(c);
      break;
    case 'ul':
    case 'ol':
      f.listLength += lengthOf(c);
      break;
    case 'p':
      f.p++;
      break;
    case 'img':
      f.img++;
      break;
    case 'li':
      f.li++;
      break;
    case 'input':
      f.input++;
      break;
    case 'table':
      f.tables++;
      break;
    default:
      if (EMBEDS.has(child.name)) f.embeds++;
  }
}

function lengthOf(f: Figures): number {
  if (f.nonSpace === 0) return 0;
  return f.nonSpace + f.runs - (f.startsWithSpace ? 1 : 0) - (f.endsWithSpace ? 1 : 0);
}

/**
 * TextIndex answers text and structure questions about elements of a tree, each element's figures
 * computed once from its children's. It is valid while the tree does not change: an element removed
 * through `remove` is accounted for; any other change needs a new index.
 */
export class TextIndex {
  private readonly figures = new Map<Element, Figures>();

  private of(el: Element): Figures {
    const known = this.figures.get(el);
    if (known) return known;
    const f = emptyFigures();
    for (const c of el.children) {
      if (isText(c)) addText(f, c.data);
      else if (isTag(c)) addChild(f, c, this.of(c));
    }
    this.figures.set(el, f);
    return f;
  }

  /** length is `innerText(el).length`. */
  length(el: Element): number {
    return lengthOf(this.of(el));
  }

  /** weightedLength is `weightedLength(innerText(el))`: a Han character counts three. */
  weightedLength(el: Element): number {
    const f = this.of(el);
    return lengthOf(f) + f.han * 2;
  }

  /** rawLength is `textContent(el).length`, white space included. */
  rawLength(el: Element): number {
    return this.of(el).raw;
  }

  /** commas counts the clause commas in the text. */
  commas(el: Element): number {
    return this.of(el).commas;
  }

  /** linkDensity is the share of the text inside links, in-page anchors counting 30 % (generic's linkDensity). */
  linkDensity(el: Element): number {
    const f = this.of(el);
    const total = lengthOf(f);
    return total === 0 ? 0 : (f.linked + f.anchored * 0.3) / total;
  }

  /** headingDensity is the share of the text inside headings (nested ones once per level). */
  headingDensity(el: Element): number {
    const f = this.of(el);
    const total = lengthOf(f);
    return total === 0 ? 0 : f.inHeadings / total;
  }

  /** textishDensity is the share of the text inside text-holding elements (p, li, td, div…). */
  textishDensity(el: Element): number {
    const f = this.of(el);
    const total = lengthOf(f);
    return total === 0 ? 0 : f.inTextish / total;
  }

  /** census counts the descendants that conditional cleaning weighs, and the text length of the lists. */
  census(el: Element): { p: number; img: number; li: number; input: number; tables: number; embeds: number; listLength: number } {
    const { p, img, li, input, tables, embeds, listLength } = this.of(el);
    return { p, img, li, input, tables, embeds, listLength };
  }

  /** remove detaches `node` from the tree and forgets the figures of its ancestors, which change. */
  remove(node: AnyNode, detach: (n: AnyNode) => void): void {
    for (let p = node.parent; p && isTag(p); p = p.parent) if (!this.figures.delete(p)) break;
    detach(node);
  }
}
