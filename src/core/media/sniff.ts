/** ImageType names an image format the archive accepts. */
export type ImageType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'svg';

/** SniffedImage is the format read from an image's first bytes and the file extension it is stored under. */
export interface SniffedImage {
  type: ImageType;
  ext: string;
}

const EXTENSIONS: Record<ImageType, string> = { jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp', avif: 'avif', svg: 'svg' };
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** ISO-BMFF brands that mean AVIF; HEIC and other HEIF brands are refused (browsers cannot show them). */
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** How much of a text file is examined for an `<svg` root; the preamble (XML declaration, comments) is short. */
const SVG_SNIFF_CHARS = 4096;

/**
 * sniffImageType reads the format from the bytes themselves, never from the Content-Type (servers
 * answer `image/jpeg` with HTML error and challenge pages). JPEG, PNG, GIF, WebP and AVIF are
 * recognised by their magic numbers; SVG by text whose first element, after a BOM, whitespace,
 * an XML declaration, comments and a doctype, is `<svg`. Anything else is undefined.
 *
 * @example
 * sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // { type: 'jpeg', ext: 'jpg' }
 */
export function sniffImageType(bytes: Uint8Array): SniffedImage | undefined {
  const type = sniffBinary(bytes) ?? (looksLikeSvg(bytes) ? 'svg' : undefined);
  return type === undefined ? undefined : { type, ext: EXTENSIONS[type] };
}

function sniffBinary(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'gif';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  if (head.slice(4, 8) === 'ftyp' && isAvif(bytes)) return 'avif';
  return undefined;
}

function isAvif(bytes: Uint8Array): boolean {
  const boxSize = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
  const end = Math.min(bytes.length, boxSize > 8 ? boxSize : bytes.length, 256);
  if (AVIF_BRANDS.has(ascii(bytes, 8, 12))) return true;
  // Compatible brands follow the major brand and its 4-byte minor version.
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    if (AVIF_BRANDS.has(ascii(bytes, offset, offset + 4))) return true;
  }
  return false;
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SVG_SNIFF_CHARS));
  text = text.replace(/^\uFEFF/, '');
  for (;;) {
    const before = text;
    text = text.replace(/^\s+/, '');
    if (text.startsWith('<?xml')) text = skipPast(text, '?>');
    else if (text.startsWith('<!--')) text = skipPast(text, '-->');
    else if (/^<!doctype/i.test(text)) text = skipDoctype(text);
    if (text === before) break;
  }
  return /^<svg[\s>/]/.test(text) || /^<svg:svg[\s>/]/.test(text);
}

function skipPast(text: string, marker: string): string {
  const index = text.indexOf(marker);
  return index < 0 ? '' : text.slice(index + marker.length);
}

/** skipDoctype steps over a doctype, including an internal subset in brackets. */
function skipDoctype(text: string): string {
  const bracket = text.indexOf('[');
  const close = text.indexOf('>');
  if (bracket >= 0 && bracket < close) {
    const end = text.indexOf(']', bracket);
    return end < 0 ? '' : skipPast(text.slice(end), '>');
  }
  return close < 0 ? '' : text.slice(close + 1);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let index = start; index < Math.min(end, bytes.length); index++) out += String.fromCharCode(bytes[index] ?? 0);
  return out;
}
