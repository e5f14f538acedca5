/**
 * bench:clean — cleaning + sanitizing throughput on the whole dutymachine corpus, against sanitize-html
 * alone with a comparable allowlist, same inputs, same process.
 *
 *   npm run bench:clean [-- --rounds 7]
 */
import { readFileSync } from 'node:fs';
import sanitizeHtmlLib from 'sanitize-html';
import { cleanArticle, FRAME_HOSTS, sanitizeHtml } from '../src/core/clean/index.js';
import { SHARED_CORPUS, SOURCE_IDS, corpusPath } from '../test/helpers/corpus.js';

const CORPUS = corpusPath(SHARED_CORPUS, 'dutymachine/articles.jsonl');

interface Item {
  readonly html: string;
  readonly url: string;
  readonly sourceId: string | undefined;
}

const items: Item[] = readFileSync(CORPUS, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { source: string; link: string | null; html: string | null })
  .map((row) => ({ html: row.html ?? '', url: row.link ?? 'https://example.com/', sourceId: SOURCE_IDS[row.source] }));
const bytes = items.reduce((sum, item) => sum + Buffer.byteLength(item.html), 0);

// The same allowlist as src/core/clean/sanitizer.ts, in sanitize-html's terms.
const PEER_OPTIONS: sanitizeHtmlLib.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
    'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
    'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span',
    'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var',
    'wbr', 'iframe', 'video', 'audio', 'source', 'track',
  ],
  allowedAttributes: {
    '*': ['lang', 'dir', 'title'],
    a: ['href'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
    time: ['datetime'],
    td: ['colspan', 'rowspan', 'headers'],
    th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
    ol: ['start', 'reversed', 'type'],
    li: ['value'],
    iframe: ['src', 'width', 'height', 'allowfullscreen'],
    video: ['src', 'poster', 'width', 'height', 'controls'],
    audio: ['src', 'controls'],
    source: ['src', 'type', 'media'],
    track: ['src', 'kind', 'srclang', 'label'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedIframeHostnames: [...FRAME_HOSTS, 'www.youtube.com', 'www.youtube-nocookie.com', 'www.dailymotion.com'],
  allowProtocolRelative: true,
  transformTags: {
    a: sanitizeHtmlLib.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    iframe: sanitizeHtmlLib.simpleTransform('iframe', { sandbox: 'allow-scripts allow-same-origin allow-popups', loading: 'lazy' }),
  },
};

type Runner = (item: Item) => string;

// sanitize-html runs first, on a fresh heap: in the separate schedule any garbage carried from one
// runner to the next then counts against newsmirror, never for it.
const RUNNERS: Record<string, Runner> = {
  'sanitize-html 2.x (sanitize only)': (item) => sanitizeHtmlLib(item.html, PEER_OPTIONS),
  'newsmirror sanitizeHtml (sanitize only)': (item) => sanitizeHtml(item.html, { baseUrl: item.url }),
  'newsmirror cleanArticle (rules + clean + sanitize)': (item) => cleanArticle(item.html, { url: item.url, sourceId: item.sourceId }).html,
};

function runOnce(run: Runner): number {
  let sink = 0;
  const start = performance.now();
  for (const item of items) sink += run(item).length;
  const elapsed = performance.now() - start;
  if (sink < 0) throw new Error('unreachable');
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag === -1 ? 7 : Number(process.argv[roundsFlag + 1] ?? 7);
const names = Object.keys(RUNNERS);

// Two schedules, because the garbage one runner leaves is collected on the next one's time:
// - separate: each runner runs its rounds back to back after a warm-up pass (closest to running alone);
// - interleaved: one pass of each runner per round (shares machine-load noise evenly).
function schedule(interleaved: boolean): Record<string, number[]> {
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  if (interleaved) {
    for (const name of names) runOnce(RUNNERS[name] as Runner);
    for (let round = 0; round < rounds; round++) {
      for (const name of names) times[name]?.push(runOnce(RUNNERS[name] as Runner));
    }
  } else {
    for (const name of names) {
      runOnce(RUNNERS[name] as Runner);
      for (let round = 0; round < rounds; round++) times[name]?.push(runOnce(RUNNERS[name] as Runner));
    }
  }
  return times;
}

console.log(`bench:clean — ${items.length} articles, ${(bytes / 1e6).toFixed(1)} MB of HTML, best and median of ${rounds} rounds after a warm-up pass (node ${process.version})`);
for (const interleaved of [false, true]) {
  const times = schedule(interleaved);
  console.log(interleaved ? ' interleaved:' : ' separate:');
  const best: Record<string, number> = {};
  const medians: Record<string, number> = {};
  for (const [name, values] of Object.entries(times)) {
    const ms = Math.min(...values);
    best[name] = ms;
    medians[name] = median(values);
    const perSecond = (items.length / ms) * 1000;
    const mbPerSecond = bytes / 1e6 / (ms / 1000);
    console.log(
      `  ${name.padEnd(52)} best ${ms.toFixed(0).padStart(5)} ms (median ${medians[name]?.toFixed(0).padStart(5)})  ${perSecond.toFixed(0).padStart(6)} articles/s  ${mbPerSecond.toFixed(1).padStart(5)} MB/s`,
    );
  }
  const ratio = (of: Record<string, number>, name: string): string =>
    ((of['sanitize-html 2.x (sanitize only)'] ?? Number.NaN) / (of[name] ?? Number.NaN)).toFixed(2);
  const clean = 'newsmirror cleanArticle (rules + clean + sanitize)';
  const sanitizeOnly = 'newsmirror sanitizeHtml (sanitize only)';
  console.log(`  ratio: full clean is ${ratio(best, clean)}x the speed of sanitize-html alone, best of ${rounds} (median: ${ratio(medians, clean)}x; >1 = faster)`);
  console.log(`  ratio: sanitizeHtml alone is ${ratio(best, sanitizeOnly)}x the speed of sanitize-html alone (median: ${ratio(medians, sanitizeOnly)}x)`);
}
