/**
 * Shared checks for the clean tests: the "nothing executable" invariant and the visible-paragraph
 * extraction the text-preservation test compares. Test-only; nothing in the pipeline imports this.
 */
import { Element, Text, type ParentNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { FRAME_HOSTS } from '../../src/core/clean/sanitizer.js';

/** Fixture describes one captured input of the site-rule goldens: where it came from and which source it belongs to. */
export interface Fixture {
  readonly site: string;
  readonly name: string;
  readonly url: string;
  readonly sourceId: string;
  readonly origin: string;
}

const FORBIDDEN_TAGS = new Set([
  'script',
  'style',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'base',
  'meta',
  'link',
  'svg',
  'math',
  'template',
  'frame',
  'frameset',
  'noscript',
  'xmp',
  'plaintext',
  'noembed',
  'noframes',
  'title',
  'isindex',
  'keygen',
  'area',
  'map',
  'param',
]);

const URL_ATTRS = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'srcset',
  'poster',
  'cite',
  'data',
  'background',
  'lowsrc',
  'dynsrc',
  'codebase',
  'ping',
]);

// eslint-disable-next-line no-control-regex
const NOISE = /[\u0000-\u0020\u007f-\u009f]/g;
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpeg|jpg|gif|webp);/i;

/**
 * executableConstructs parses sanitizer output with htmlparser2 and lists every construct that could
 * run script or load active content; an empty list means the output is inert.
 */
export function executableConstructs(html: string): string[] {
  const problems: string[] = [];
  if (html.includes('<!--')) problems.push('comment');
  if (/<!\[CDATA\[/i.test(html)) problems.push('cdata');
  const walk = (parent: ParentNode): void => {
    for (const node of parent.children) {
      if (!(node instanceof Element)) continue;
      const name = node.name;
      if (FORBIDDEN_TAGS.has(name) || name.includes(':')) problems.push(`<${name}>`);
      if (name === 'iframe') {
        const src = node.attribs.src ?? '';
        let host = '';
        try {
          const url = new URL(src);
          host = url.protocol === 'https:' ? url.hostname : '';
        } catch {
          host = '';
        }
        if (!FRAME_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) problems.push(`iframe ${src}`);
        if (node.attribs.sandbox === undefined || /allow-top-navigation|allow-forms/.test(node.attribs.sandbox)) {
          problems.push('iframe without a strict sandbox');
        }
        if (node.attribs.srcdoc !== undefined) problems.push('iframe srcdoc');
      }
      for (const [attr, value] of Object.entries(node.attribs)) {
        if (attr.startsWith('on')) problems.push(`${name}[${attr}]`);
        if (attr === 'style') problems.push(`${name}[style]`);
        if (attr === 'srcdoc') problems.push(`${name}[srcdoc]`);
        if (!URL_ATTRS.has(attr)) continue;
        const values = attr === 'srcset' ? value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? '') : [value];
        for (const raw of values) {
          const probe = raw.replace(NOISE, '').toLowerCase();
          if (/^(?:javascript|vbscript|livescript|jar|mhtml|feed|x-javascript):/.test(probe)) problems.push(`${name}[${attr}]=${raw}`);
          if (probe.startsWith('data:') && !(name === 'img' && attr === 'src' && SAFE_DATA_IMAGE.test(probe))) {
            problems.push(`${name}[${attr}]=data:`);
          }
        }
      }
      walk(node);
    }
  };
  walk(parseDocument(html));
  return problems;
}

const PARAGRAPH_BREAKS = new Set([
  'p',
  'div',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'figcaption',
  'figure',
  'td',
  'th',
  'tr',
  'table',
  'ul',
  'ol',
  'section',
  'article',
  'pre',
  'hr',
  'dd',
  'dt',
]);
const INVISIBLE = new Set(['script', 'style', 'template', 'svg', 'noscript', 'iframe', 'button', 'select', 'textarea', 'title']);
const SPACE = /[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]+/g;

/** compact removes every kind of whitespace, so texts compare whatever the line breaking. */
export function compact(text: string): string {
  return text.replace(SPACE, '');
}

/**
 * visibleParagraphs splits raw HTML into its paragraphs of visible text (split at block elements and
 * `<br>`), independently of the cleaner, whitespace removed; elements for which `skip` is true are left out.
 */
export function visibleParagraphs(html: string, skip: (element: Element) => boolean = () => false): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = (): void => {
    const text = compact(current);
    if (text !== '') parts.push(text);
    current = '';
  };
  const walk = (parent: ParentNode): void => {
    for (const node of parent.children) {
      if (node instanceof Text) {
        current += node.data;
      } else if (node instanceof Element) {
        if (INVISIBLE.has(node.name) || skip(node)) continue;
        if (node.name === 'br') {
          flush();
          continue;
        }
        const block = PARAGRAPH_BREAKS.has(node.name);
        if (block) flush();
        walk(node);
        if (block) flush();
      }
    }
  };
  walk(parseDocument(html));
  flush();
  return parts;
}
