import { Parser } from 'htmlparser2';

/** ImageTag is one `<img>` or `<source>` opening tag found in body HTML, with its exact place in the text. */
export interface ImageTag {
  name: 'img' | 'source';
  /** Attributes in source order, names lower-cased, values with entities decoded; first of duplicates wins. */
  attributes: [string, string][];
  /** Offset of `<` and one past `>` in the scanned text. */
  start: number;
  end: number;
  /** True when the tag is written `<img … />`. */
  selfClosing: boolean;
  /** True for a `<source>` inside a `<picture>` (not video or audio sources). */
  inPicture: boolean;
}

/**
 * scanImageTags lists the image tags of an HTML fragment with their offsets, so callers can read
 * them or replace exactly those bytes and leave the rest of the body as it was.
 */
export function scanImageTags(html: string): ImageTag[] {
  const tags: ImageTag[] = [];
  const open: string[] = [];
  let attributes: [string, string][] = [];
  const parser = new Parser(
    {
      onopentagname() {
        attributes = [];
      },
      onattribute(name, value) {
        if (!attributes.some(([seen]) => seen === name)) attributes.push([name, value]);
      },
      onopentag(name, _attribs, isImplied) {
        if (!isImplied && (name === 'img' || name === 'source')) {
          const start = parser.startIndex;
          const end = parser.endIndex + 1;
          tags.push({
            name,
            attributes,
            start,
            end,
            selfClosing: html.slice(start, end).endsWith('/>'),
            inPicture: name === 'source' && open[open.length - 1] === 'picture',
          });
        }
        if (name === 'picture' || name === 'video' || name === 'audio') open.push(name);
      },
      onclosetag(name) {
        if (name === 'picture' || name === 'video' || name === 'audio') {
          const index = open.lastIndexOf(name);
          if (index >= 0) open.length = index;
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.end(html);
  return tags;
}

/** attribute returns the value of a scanned attribute, or undefined when absent. */
export function attribute(tag: ImageTag, name: string): string | undefined {
  return tag.attributes.find(([seen]) => seen === name)?.[1];
}
