/**
 * Block elements that start on their own line wherever they appear. Whitespace next to a block
 * boundary is not rendered, so a newline there changes nothing a reader sees.
 */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot',
  'thead', 'tr', 'ul', 'center', 'listing', 'menu', 'noscript', 'search', 'colgroup',
]);

/** Elements that are blocks only when they stand at the top level (inside a paragraph they flow with the text). */
const TOP_LEVEL_BLOCK = new Set(['img', 'picture', 'video', 'audio', 'iframe', 'object', 'embed', 'svg', 'math']);

/** Void elements never have an end tag, so they are never pushed on the open-element stack. */
const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'param', 'keygen',
]);

/** Elements whose content is copied verbatim: whitespace in them is significant or it is not HTML. */
const VERBATIM = new Set(['pre', 'listing', 'textarea', 'script', 'style', 'xmp', 'plaintext', 'title']);

type Token =
  | { kind: 'text'; raw: string }
  | { kind: 'start'; raw: string; name: string; selfClosing: boolean }
  | { kind: 'end'; raw: string; name: string }
  | { kind: 'other'; raw: string };

/**
 * formatBlocks puts every block element of an HTML fragment on its own line (a newline before each
 * block start tag and after each block end tag; `img`, `iframe`, `video`… only at the top level).
 * It only ever inserts `\n` between tags: it never changes the inside of `<pre>`, `<textarea>`,
 * `<script>` or `<style>`, never touches text, never joins lines, and formatBlocks(formatBlocks(x))
 * equals formatBlocks(x). This keeps git diffs of archive files to the paragraphs that changed.
 *
 * @example formatBlocks('<p>a</p><p>b</p>') // '<p>a</p>\n<p>b</p>'
 */
export function formatBlocks(html: string): string {
  const tokens = tokenize(html);
  const out: string[] = [];
  const open: string[] = [];
  let last = '';
  const emit = (text: string): void => {
    if (text.length === 0) return;
    out.push(text);
    last = text;
  };
  const newlineBefore = (): void => {
    if (out.length > 0 && !last.endsWith('\n')) emit('\n');
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'start') {
      // An HTML parser closes an open <p> when a block starts; mirror it so "top level" stays right.
      if (BLOCK.has(token.name) && open[open.length - 1] === 'p') open.pop();
      const block = BLOCK.has(token.name) || (TOP_LEVEL_BLOCK.has(token.name) && open.length === 0);
      if (block) newlineBefore();
      emit(token.raw);
      const isVoid = VOID.has(token.name) || token.selfClosing;
      if (VERBATIM.has(token.name) && !isVoid) {
        // Copy everything up to the matching end tag unchanged, then continue after it.
        let j = i + 1;
        while (j < tokens.length && !(tokens[j]!.kind === 'end' && (tokens[j] as { name: string }).name === token.name)) {
          emit(tokens[j]!.raw);
          j++;
        }
        if (j < tokens.length) {
          emit(tokens[j]!.raw);
          if (block) newlineAfter(tokens, j, emit);
        }
        i = j;
        continue;
      }
      if (isVoid) {
        if (block) newlineAfter(tokens, i, emit);
      } else {
        open.push(token.name);
      }
    } else if (token.kind === 'end') {
      const at = open.lastIndexOf(token.name);
      if (at >= 0) open.length = at;
      emit(token.raw);
      if (BLOCK.has(token.name) || (TOP_LEVEL_BLOCK.has(token.name) && open.length === 0)) newlineAfter(tokens, i, emit);
    } else {
      emit(token.raw);
    }
  }
  return out.join('');
}

// Adds a newline after tokens[index] unless the fragment ends there or the next text already starts with one.
function newlineAfter(tokens: Token[], index: number, emit: (text: string) => void): void {
  const next = tokens[index + 1];
  if (next === undefined) return;
  if (next.raw.startsWith('\n')) return;
  emit('\n');
}

/**
 * tokenize splits HTML into tags and text without changing a byte: joining the `raw` fields gives the
 * input back. Text inside raw-text elements comes out as text tokens up to the matching end tag.
 */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number): void => {
    if (end > textStart) tokens.push({ kind: 'text', raw: html.slice(textStart, end) });
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    let end = -1;
    let token: Token | undefined;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      end = close < 0 ? html.length : close + 3;
      token = { kind: 'other', raw: html.slice(lt, end) };
    } else if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = html.indexOf('>', lt + 2);
      end = close < 0 ? html.length : close + 1;
      token = { kind: 'other', raw: html.slice(lt, end) };
    } else if (next === 0x2f /* / */ && isAsciiLetter(html.charCodeAt(lt + 2))) {
      const close = html.indexOf('>', lt + 2);
      end = close < 0 ? html.length : close + 1;
      const raw = html.slice(lt, end);
      token = { kind: 'end', raw, name: tagName(raw, 2) };
    } else if (isAsciiLetter(next)) {
      end = endOfStartTag(html, lt + 1);
      const raw = html.slice(lt, end);
      token = { kind: 'start', raw, name: tagName(raw, 1), selfClosing: /\/\s*>$/.test(raw) };
    }
    if (token === undefined) {
      i = lt + 1;
      continue;
    }
    flushText(lt);
    tokens.push(token);
    i = end;
    textStart = end;
    if (token.kind === 'start' && RAW_TEXT.has(token.name) && !token.selfClosing) {
      // Script and style content is not markup: a `<p>` inside a string literal must stay as it is.
      const closeAt = findEndTag(html, i, token.name);
      flushText(closeAt);
      i = closeAt;
      textStart = closeAt;
    }
  }
  flushText(html.length);
  return tokens;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext']);

function findEndTag(html: string, from: number, name: string): number {
  const lower = html.toLowerCase();
  let at = from;
  for (;;) {
    const found = lower.indexOf(`</${name}`, at);
    if (found < 0) return html.length;
    const after = lower.charCodeAt(found + 2 + name.length);
    if (Number.isNaN(after) || after === 0x3e || after === 0x2f || isSpace(after)) return found;
    at = found + 1;
  }
}

// A `>` inside a quoted attribute value does not end the tag.
function endOfStartTag(html: string, from: number): number {
  let quote = 0;
  for (let i = from; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      // Quotes only open a value right after `=` (possibly with spaces); elsewhere they are plain characters.
      let k = i - 1;
      while (k >= from && isSpace(html.charCodeAt(k))) k--;
      if (html.charCodeAt(k) === 0x3d) quote = c;
    } else if (c === 0x3e) {
      return i + 1;
    }
  }
  return html.length;
}

function tagName(raw: string, offset: number): string {
  const match = /^[A-Za-z][^\s/>]*/.exec(raw.slice(offset));
  return (match?.[0] ?? '').toLowerCase();
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}
