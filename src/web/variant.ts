/**
 * 简体/繁體: the reader converts the page it displays, never the stored text. OpenCC's `cn` → `tw`
 * conversion (phrase-level, e.g. 头发 → 頭髮, not character by character) runs on the finished
 * page's text nodes only, so URLs, attribute values and the query typed into the search box stay
 * exactly as they are.
 */
import * as OpenCC from 'opencc-js/cn2t';
import * as OpenCCBack from 'opencc-js/t2cn';

/** Variant is the script the reader asked for: simplified (stored text) or traditional. */
export type Variant = 'hans' | 'hant';

/** VARIANT_COOKIE remembers the reader's choice across pages. */
export const VARIANT_COOKIE = 'variant';

let toTraditional: ((text: string) => string) | undefined;
let fromTraditional: ((text: string) => string) | undefined;

/** convertText converts plain text to traditional characters (Taiwan standard, OpenCC `tw`). */
function convertText(text: string): string {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(text);
}

/** toSimplified converts traditional text (Taiwan standard) to simplified, for search queries. */
export function toSimplified(text: string): string {
  const convert = (fromTraditional ??= OpenCCBack.Converter({ from: 'tw', to: 'cn' }));
  return convert(text);
}

/**
 * convertHtmlText converts the text between tags of a serialized page, leaving tags (with their
 * attributes), comments and the contents of `<script>`, `<style>` and `<textarea>` untouched.
 */
export function convertHtmlText(markup: string): string {
  let out = '';
  let index = 0;
  while (index < markup.length) {
    const open = markup.indexOf('<', index);
    const textEnd = open === -1 ? markup.length : open;
    if (textEnd > index) out += convertText(markup.slice(index, textEnd));
    if (open === -1) break;
    const end = tagEnd(markup, open);
    const tag = markup.slice(open, end);
    out += tag;
    index = end;
    const raw = /^<(script|style|textarea)\b/i.exec(tag);
    if (raw) {
      const close = markup.toLowerCase().indexOf(`</${(raw[1] as string).toLowerCase()}`, index);
      const stop = close === -1 ? markup.length : close;
      out += markup.slice(index, stop);
      index = stop;
    }
  }
  return out;
}

/** tagEnd is one past the `>` closing the tag or comment that starts at `start`, quotes respected. */
function tagEnd(markup: string, start: number): number {
  if (markup.startsWith('<!--', start)) {
    const close = markup.indexOf('-->', start + 4);
    return close === -1 ? markup.length : close + 3;
  }
  let quote = '';
  for (let index = start + 1; index < markup.length; index++) {
    const char = markup[index];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index + 1;
    }
  }
  return markup.length;
}

/** parseVariant reads `?variant=` or the cookie; anything unknown is the stored (simplified) text. */
export function parseVariant(value: string | undefined): Variant | undefined {
  return value === 'hant' || value === 'hans' ? value : undefined;
}
