/**
 * BLOCK_TAGS are the elements that start a new line: in the serialized body, in its visible text, in
 * the text of a page and in the text that is indexed for search.
 */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'audio', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog',
  'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hgroup', 'hr', 'html', 'iframe', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'option', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'ul', 'video',
]);

/** VOID_TAGS are the elements kept in a body that never have children or an end tag. */
export const VOID_TAGS: ReadonlySet<string> = new Set(['br', 'hr', 'img', 'wbr', 'source', 'track', 'col']);

/**
 * PHRASING_TAGS are the elements that flow inside a paragraph (HTML's phrasing content, as Readability
 * lists it); `a`, `del` and `ins` are phrasing only when their own content is.
 */
export const PHRASING_TAGS: ReadonlySet<string> = new Set([
  'abbr', 'audio', 'b', 'bdo', 'br', 'button', 'cite', 'code', 'data', 'datalist', 'dfn', 'em', 'embed', 'i', 'img',
  'input', 'kbd', 'label', 'mark', 'math', 'meter', 'noscript', 'object', 'output', 'progress', 'q', 'ruby', 'samp',
  'script', 'select', 'small', 'span', 'strong', 'sub', 'sup', 'textarea', 'time', 'var', 'wbr', 'font', 'u', 's',
]);
