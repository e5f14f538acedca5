import { RFI_TITLES } from './rfi.js';
import type { CleanTitle, TitleRule } from './types.js';

export type { CleanTitle, TitleRule } from './types.js';

/** TITLE_RULES is the built-in per-site title rule list, one entry per file in this folder. */
export const TITLE_RULES: readonly TitleRule[] = [RFI_TITLES];

/**
 * cleanTitle makes a feed's title the one a reader wants: whitespace and line breaks collapsed, and
 * the source's title rules applied (site-name suffix and mirror prefixes cut, a column name moved to
 * `column`). Pure; a rule that would leave nothing keeps the title as it was.
 */
export function cleanTitle(title: string, sourceId: string, rules: readonly TitleRule[] = TITLE_RULES): CleanTitle {
  let text = collapse(title);
  let column: string | undefined;
  for (const rule of rules) {
    if (!rule.sourceIds.includes(sourceId)) continue;
    for (const prefix of rule.prefixes ?? []) text = cut(text, prefix);
    for (const suffix of rule.suffixes ?? []) text = cut(text, suffix);
    for (const pattern of rule.columns ?? []) {
      const match = pattern.exec(text);
      const name = match?.groups?.column;
      if (match === null || name === undefined || match.index === 0) continue;
      text = text.slice(0, match.index).trim();
      column = name;
      break;
    }
  }
  return column === undefined ? { title: text } : { title: text, column };
}

/** Runs of whitespace and line breaks become one space; a single ideographic or no-break space stays. */
function collapse(text: string): string {
  return text.replace(/\s{2,}|[\t\n\v\f\r]/gu, ' ').trim();
}

function cut(text: string, pattern: RegExp): string {
  const rest = collapse(text.replace(pattern, ''));
  return rest === '' ? text : rest;
}
