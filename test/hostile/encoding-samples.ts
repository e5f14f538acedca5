/**
 * Undeclared legacy-encoded documents made from real text, for the encoding detector's test and
 * bench: the corpus's encoded feeds with their declaration removed, every duty-machine article as a
 * GBK page and (converted to Taiwan traditional script by OpenCC) as a Big5 page, the same articles
 * grouped into feeds and as one-title feeds, and the non-Chinese articles of the readability
 * corpus in the encodings their languages used.
 */
import { readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js/cn2t';
import { SHARED_CORPUS, corpusPath, loadCorpusRows } from '../helpers/corpus.js';
import { encodeLegacy, type LegacyEncoding } from './legacy-bytes.js';

/** EncodingSample is one undeclared document and the encoding it was written in (a WHATWG name). */
export interface EncodingSample {
  name: string;
  /** What kind of document it is, for per-group figures. */
  group: string;
  expected: string;
  bytes: Uint8Array;
}

/** corpusSkip is why the samples cannot be made (no shared corpus), or false when they can. */
export const corpusSkip: string | false = SHARED_CORPUS.skip;

const WHATWG: Record<LegacyEncoding, string> = {
  gbk: 'gb18030',
  big5: 'big5',
  shift_jis: 'shift_jis',
  'euc-jp': 'euc-jp',
  'euc-kr': 'euc-kr',
  'koi8-r': 'koi8-r',
  'windows-1250': 'windows-1250',
  'windows-1251': 'windows-1251',
  'windows-1252': 'windows-1252',
  'windows-1253': 'windows-1253',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function page(title: string, html: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${escapeXml(title)}</title></head>\n<body><h1>${escapeXml(title)}</h1>\n${html}\n</body></html>\n`;
}

function rss(items: { title: string; html?: string }[]): string {
  const body = items
    .map((item) => `<item><title>${escapeXml(item.title)}</title>${item.html === undefined ? '' : `<description>${escapeXml(item.html)}</description>`}</item>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>feed</title>\n${body}\n</channel></rss>\n`;
}

function sample(name: string, group: string, text: string, encoding: LegacyEncoding): EncodingSample {
  return { name, group, expected: WHATWG[encoding], bytes: encodeLegacy(text, encoding).bytes };
}

// The corpus's legacy-encoded feeds, with the encoding they declare; undeclared ones are ISO-8859-1.
const CORPUS_FEEDS: [string, string][] = [
  ['feeds/zh-other/kc0011-dvbbs_rss2_gb2312.rss', 'gb18030'],
  ['feeds/encodings/windows-1251_news.xml', 'windows-1251'],
  ['feeds/encodings/windows-1251_oren-ru.xml', 'windows-1251'],
  ['feeds/encodings/koi8-r_tiny.xml', 'koi8-r'],
  ['feeds/encodings/iso-8859-1_golem.xml', 'windows-1252'],
  ['feeds/encodings/iso-8859-1_undeclared.xml', 'windows-1252'],
  ['feeds/encodings/iso-8859-1_uol-no-prolog.rss', 'windows-1252'],
  ['feeds/variety/rdf_slashdot_iso-8859-1.xml', 'windows-1252'],
];

/** corpusFeedSamples are the corpus's encoded feeds without their declaration, plus KOI8-R copies of the windows-1251 ones. */
export function corpusFeedSamples(): EncodingSample[] {
  const out: EncodingSample[] = [];
  for (const [path, expected] of CORPUS_FEEDS) {
    const raw = readFileSync(corpusPath(SHARED_CORPUS, path));
    const latin = raw.toString('latin1').replace(/(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']/, '$1');
    const bytes = new Uint8Array(Buffer.from(latin, 'latin1'));
    // A file without a byte above 0x7F decodes the same in any of these; detection has nothing to do.
    if (!bytes.some((b) => b >= 0x80)) continue;
    const name = path.split('/').pop() as string;
    out.push({ name, group: 'corpus feed', expected, bytes });
    if (expected === 'windows-1251') {
      const text = new TextDecoder('windows-1251').decode(bytes);
      out.push(sample(`${name} → koi8-r`, 'corpus feed', text, 'koi8-r'));
    }
  }
  return out;
}

let toTraditional: ((text: string) => string) | undefined;

/** traditional converts simplified Chinese to Taiwan traditional script, as a Taiwan site writes it. */
export function traditional(text: string): string {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(text);
}

/**
 * chineseSamples are the duty-machine articles (every `step`-th one) as undeclared GBK and Big5
 * pages, grouped by `perFeed` into GBK and Big5 feeds, and as one-title feeds.
 */
export function chineseSamples(step = 1, perFeed = 20): EncodingSample[] {
  const rows = loadCorpusRows(SHARED_CORPUS).filter((row, i) => i % step === 0 && typeof row.title === 'string' && typeof row.html === 'string');
  const out: EncodingSample[] = [];
  const hant = rows.map((row) => ({ title: traditional(row.title), html: traditional(row.html) }));
  for (const [i, row] of rows.entries()) {
    const t = hant[i] as { title: string; html: string };
    out.push(sample(`${row.path} (gbk page)`, 'zh article page', page(row.title, row.html), 'gbk'));
    out.push(sample(`${row.path} (big5 page)`, 'zh article page', page(t.title, t.html), 'big5'));
    out.push(sample(`${row.path} (gbk title)`, 'zh one-title feed', rss([{ title: row.title }]), 'gbk'));
    out.push(sample(`${row.path} (big5 title)`, 'zh one-title feed', rss([{ title: t.title }]), 'big5'));
  }
  for (let i = 0; i < rows.length; i += perFeed) {
    out.push(sample(`feed of rows ${i}…`, 'zh feed', rss(rows.slice(i, i + perFeed)), 'gbk'));
    out.push(sample(`feed of rows ${i}… (big5)`, 'zh feed', rss(hant.slice(i, i + perFeed)), 'big5'));
  }
  return out;
}

// Readability-corpus articles and the legacy encodings their language was served in.
const OTHER_LANGUAGES: [string, LegacyEncoding[]][] = [
  ['yahoo-4', ['shift_jis', 'euc-jp']],
  ['hukumusume', ['shift_jis', 'euc-jp']],
  ['pixnet', ['big5']],
  ['aktualne', ['windows-1250']],
  ['lemonde-1', ['windows-1252']],
  ['liberation-1', ['windows-1252']],
  ['heise', ['windows-1252']],
  ['folha', ['windows-1252']],
];

// The corpus holds no Korean or Greek article; these are short news paragraphs written for the test.
const KOREAN = '서울시는 오늘 대중교통 요금을 다음 달부터 인상한다고 발표했다. 시민 단체는 물가 상승으로 생활비 부담이 커지고 있다며 반대 입장을 밝혔고, 시는 적자 해소를 위해 불가피한 조치라고 설명했다.';
const GREEK = 'Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τα νοικοκυριά, καθώς οι τιμές της ενέργειας παραμένουν υψηλές. Η αντιπολίτευση ζήτησε περισσότερη διαφάνεια στη διαχείριση των κονδυλίων.';

/** otherLanguageSamples are Japanese, traditional Chinese, Czech, French, German, Portuguese, Korean and Greek pages. */
export function otherLanguageSamples(): EncodingSample[] {
  const truth = JSON.parse(readFileSync(corpusPath(SHARED_CORPUS, 'extract/readability/ground-truth.json'), 'utf8')) as Record<string, { title?: string; articleBody?: string }>;
  const out: EncodingSample[] = [];
  for (const [key, encodings] of OTHER_LANGUAGES) {
    const entry = truth[key];
    if (!entry?.articleBody) continue;
    const html = entry.articleBody.split(/\n+/).map((line) => `<p>${escapeXml(line)}</p>`).join('\n');
    for (const encoding of encodings) out.push(sample(`${key} (${encoding})`, 'other language page', page(entry.title ?? key, html), encoding));
  }
  out.push(sample('korean news (euc-kr)', 'other language page', page('뉴스', `<p>${KOREAN}</p>`), 'euc-kr'));
  out.push(sample('greek news (windows-1253)', 'other language page', page('Ειδήσεις', `<p>${GREEK}</p>`), 'windows-1253'));
  return out;
}

