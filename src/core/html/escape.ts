const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * escapeHtml escapes text for element content and for attribute values in either kind of quotes.
 *
 * @example
 * escapeHtml(`<a title="x">'&'</a>`) // → '&lt;a title=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}
