/**
 * A tiny HTML template helper that escapes by default: every interpolated value is text unless it
 * is already `SafeHtml` (the output of `html` itself or of `trustedHtml` for sanitized bodies).
 */
import { escapeHtml } from '../core/html/index.js';

/** SafeHtml is markup that may be written to a page as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Interpolation is what a template accepts: text, markup, nothing, or a list of those. */
export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

export { escapeHtml };

/**
 * html builds markup from a template, escaping every value; `false`, `null` and `undefined` render
 * nothing so conditional parts read naturally.
 *
 * @example
 * html`<a href="${url}">${title}</a>` // both escaped
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    out += render(values[index]) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** trustedHtml marks markup that was sanitized elsewhere (article bodies, search snippets) as safe. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: Interpolation) => render(item)).join('');
  return escapeHtml(String(value));
}
