/**
 * An article body as the diff sees it: its paragraphs (leaf blocks) as text, each cut into tokens a
 * Chinese reader compares by. Markup is left behind on purpose: the diff page shows text only, so no
 * markup of the article reaches it, and a changed link target or class is not an edit a reader sees.
 */
import { Element, Text, type ParentNode } from 'domhandler';
import { BLOCK_TAGS, parseHtml } from '../html/index.js';

/**
 * MEDIA_MARK brackets an image or embedded player inside block text (U+FFFC, the object replacement
 * character): `\uFFFC图片：alt\uFFFC`. It is one token, so an image added or removed shows as such.
 */
export const MEDIA_MARK = '\uFFFC';

/** DiffBlock is one paragraph of a body: the tag of the block that holds it and its text. */
export interface DiffBlock {
  /** The innermost block element around the text (`p`, `h2`, `li`, `blockquote`…), `p` at the top level. */
  tag: string;
  /** Visible text, whitespace collapsed, media as MEDIA_MARK-bracketed labels. */
  text: string;
}

const SKIPPED: ReadonlySet<string> = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);
const MEDIA_LABEL: Readonly<Record<string, string>> = { img: '图片', video: '视频', audio: '音频', iframe: '嵌入内容' };
const WHITESPACE = /[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g;

/**
 * parseBlocks cuts a (sanitized) body into its paragraphs: a block element holding no other block, or
 * a run of inline content between blocks; a `<br>` ends a paragraph too. Empty paragraphs are left out.
 *
 * @example
 * parseBlocks('<h2>标题</h2><p>第一段<br>第二行<img alt="图"></p>')
 * // → [{ tag: 'h2', text: '标题' }, { tag: 'p', text: '第一段' }, { tag: 'p', text: '第二行\uFFFC图片：图\uFFFC' }]
 */
export function parseBlocks(bodyHtml: string): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let buffer = '';
  const flush = (tag: string): void => {
    const text = buffer.replace(WHITESPACE, ' ').trim();
    buffer = '';
    if (text !== '') blocks.push({ tag, text });
  };
  const walk = (parent: ParentNode, tag: string): void => {
    for (const node of parent.children) {
      if (node instanceof Text) {
        buffer += node.data.replaceAll(MEDIA_MARK, '');
        continue;
      }
      if (!(node instanceof Element) || SKIPPED.has(node.name)) continue;
      const media = MEDIA_LABEL[node.name];
      if (media !== undefined) {
        const alt = (node.attribs.alt ?? node.attribs.title ?? '').replaceAll(MEDIA_MARK, '').replace(WHITESPACE, ' ').trim();
        buffer += ` ${MEDIA_MARK}${alt === '' ? media : `${media}：${alt}`}${MEDIA_MARK} `;
        continue;
      }
      if (node.name === 'br') {
        flush(tag);
      } else if (BLOCK_TAGS.has(node.name)) {
        flush(tag);
        walk(node, node.name);
        flush(node.name);
      } else {
        walk(node, tag);
      }
    }
  };
  walk(parseHtml(bodyHtml), 'p');
  flush('p');
  return blocks;
}

// One token each: a bracketed media label, a run of whitespace, one Han/kana character (Chinese has
// no spaces; a character is the unit a reader sees changed), a word of other letters and digits
// (Latin, Cyrillic, Hangul, numbers), or any other single character (punctuation, symbols).
const TOKEN =
  /\uFFFC[^\uFFFC]*\uFFFC|\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}])+|[\s\S]/gu;

/**
 * tokenize cuts text into the units a diff compares: Han and kana by character, other scripts by word,
 * punctuation by character.
 *
 * @example
 * tokenize('习近平 said “no”') // → ['习', '近', '平', ' ', 'said', ' ', '“', 'no', '”']
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}
