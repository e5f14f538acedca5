/**
 * Parse throughput of newsmirror's parseFeed against rss-parser (what the system we continue used)
 * and feedsmith, on the real feeds of ../shared/corpus/feeds and on a 500-item full-text Chinese RSS
 * feed rebuilt from ../shared/corpus/dutymachine/articles.jsonl. Prints MB/s and items/s (median of
 * repeated passes after a warm-up), the ratios and how many documents each parser rejects.
 * Every parser is timed from bytes: the peers take a string, so their time includes one UTF-8
 * TextDecoder pass (what any caller of theirs must do; for CJK text it costs about as much as
 * parsing), while parseFeed does its own charset detection and decoding, whose UTF-8 path is several
 * times faster than TextDecoder (decode/utf8.ts); a last line gives the ratios without that edge.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed as parseFeedsmith } from 'feedsmith';
import Parser from 'rss-parser';
import { decodeText } from '../src/core/decode/index.js';
import { parseFeed } from '../src/core/parse/index.js';
import { SHARED_CORPUS, corpusPath } from '../test/helpers/corpus.js';

interface Doc {
  name: string;
  bytes: Uint8Array;
}

const corpus = corpusPath(SHARED_CORPUS, '.');
const PASSES = Number(process.env.BENCH_PASSES ?? 9);
const WARMUP = 2;

function listFeeds(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFeeds(path));
    else if (!name.endsWith('.tsv') && !name.endsWith('.md')) out.push(path);
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function buildChineseFeed(): Uint8Array {
  const lines = readFileSync(join(corpus, 'dutymachine/articles.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 500);
  const items = lines.map((line) => {
    const row = JSON.parse(line) as { title: string; link: string; pubDate: number | null; html: string };
    const date = row.pubDate === null ? '' : `<pubDate>${new Date(row.pubDate).toUTCString()}</pubDate>`;
    const html = row.html.replace(/]]>/g, ']]]]><![CDATA[>');
    return `<item><title>${escapeXml(row.title)}</title><link>${escapeXml(row.link)}</link><guid>${escapeXml(row.link)}</guid>${date}<content:encoded><![CDATA[${html}]]></content:encoded></item>`;
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>dutymachine rebuilt</title><link>https://example.org/</link><description>500 full-text items</description>${items.join('\n')}</channel></rss>\n`;
  return new TextEncoder().encode(xml);
}

type Runner = (doc: Doc) => Promise<number> | number;

const rssParser = new Parser();
const utf8 = new TextDecoder('utf-8');
const runners: Record<string, Runner> = {
  // With a document URL, as the pipeline calls it (relative URLs get resolved: more work than the peers do).
  newsmirror: (doc) => parseFeed(doc.bytes, { url: 'https://feeds.example.org/feed.xml' }).entries.length,
  'rss-parser': async (doc) => (await rssParser.parseString(utf8.decode(doc.bytes))).items.length,
  feedsmith: (doc) => {
    const result = parseFeedsmith(utf8.decode(doc.bytes)) as { feed: { items?: unknown[]; entries?: unknown[] } };
    return (result.feed.items ?? result.feed.entries ?? []).length;
  },
};

async function pass(runner: Runner, docs: Doc[], rejected: Set<string>): Promise<{ ms: number; items: number }> {
  let items = 0;
  const start = performance.now();
  for (const doc of docs) {
    if (rejected.has(doc.name)) continue;
    try {
      items += await runner(doc);
    } catch {
      rejected.add(doc.name);
    }
  }
  return { ms: performance.now() - start, items };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(label: string, docs: Doc[], passes: number): Promise<void> {
  const rejected: Record<string, Set<string>> = {};
  for (const name of Object.keys(runners)) rejected[name] = new Set();
  for (let i = 0; i < WARMUP; i++) {
    for (const [name, runner] of Object.entries(runners)) await pass(runner, docs, rejected[name] as Set<string>);
  }
  // Passes are interleaved (A B C A B C …) so that load from other processes hits every parser alike.
  const times: Record<string, number[]> = {};
  const items: Record<string, number> = {};
  for (let i = 0; i < passes; i++) {
    for (const [name, runner] of Object.entries(runners)) {
      const accepted = docs.filter((doc) => !(rejected[name] as Set<string>).has(doc.name));
      const run = await pass(runner, accepted, new Set());
      (times[name] ??= []).push(run.ms);
      items[name] = run.items;
    }
  }
  console.log(`\n${label} (${docs.length} documents, ${(docs.reduce((s, d) => s + d.bytes.length, 0) / 1e6).toFixed(1)} MB)`);
  const mbps: Record<string, number> = {};
  for (const name of Object.keys(runners)) {
    const bad = [...(rejected[name] as Set<string>)];
    const bytes = docs.filter((doc) => !bad.includes(doc.name)).reduce((sum, doc) => sum + doc.bytes.length, 0);
    const seconds = median(times[name] as number[]) / 1000;
    mbps[name] = bytes / 1e6 / seconds;
    const rejects = bad.length === 0 ? '' : `  [${bad.map((n) => n.replace(/^.*corpus\/feeds\//, '')).join(', ')}]`;
    console.log(
      `  ${name.padEnd(11)} ${(mbps[name] as number).toFixed(1).padStart(7)} MB/s ${Math.round((items[name] as number) / seconds).toString().padStart(8)} items/s  rejects ${bad.length}${rejects}`,
    );
  }
  const decodeMs = median(timeEach(docs, passes, (doc) => utf8.decode(doc.bytes)));
  const oursDecodeMs = median(timeEach(docs, passes, (doc) => decodeText(doc.bytes, { kind: 'xml' })));
  const beyond = (name: string, floor: number): string => (median(times[name] as number[]) - floor).toFixed(1);
  console.log(
    `  (UTF-8 decoding alone: TextDecoder, what the peers are handed, ${decodeMs.toFixed(1)} ms a pass; newsmirror's decodeText ${oursDecodeMs.toFixed(1)} ms.` +
      ` Beyond it: newsmirror ${beyond('newsmirror', oursDecodeMs)} ms, rss-parser ${beyond('rss-parser', decodeMs)} ms, feedsmith ${beyond('feedsmith', decodeMs)} ms)`,
  );
  const ours = mbps.newsmirror as number;
  console.log(`  ratio newsmirror / rss-parser: ${(ours / (mbps['rss-parser'] as number)).toFixed(2)}x (MB/s, each on the documents it accepts)`);
  console.log(`  ratio newsmirror / feedsmith:  ${(ours / (mbps.feedsmith as number)).toFixed(2)}x`);
  // The same ratios had the peers been handed text decoded as fast as decodeText does it; only
  // meaningful when every parser read the same documents.
  if (Object.values(rejected).some((bad) => bad.size > 0)) return;
  const fair = (name: string): string => {
    const ms = median(times[name] as number[]) - decodeMs + oursDecodeMs;
    return (ms / median(times.newsmirror as number[])).toFixed(2);
  };
  console.log(`  with the peers' decoding as fast as ours: rss-parser ${fair('rss-parser')}x, feedsmith ${fair('feedsmith')}x`);
}

function timeEach(docs: Doc[], passes: number, work: (doc: Doc) => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    for (const doc of docs) work(doc);
    out.push(performance.now() - start);
  }
  return out;
}

function load(path: string, bytes: Uint8Array = new Uint8Array(readFileSync(path))): Doc {
  return { name: path, bytes };
}

const feeds = listFeeds(join(corpus, 'feeds')).map((path) => load(path));
const chinese = load('dutymachine-500.xml', buildChineseFeed());
console.log(`parse benchmark: median of interleaved timed passes after ${WARMUP} warm-up passes`);
await measure('real feeds, ../shared/corpus/feeds', feeds, PASSES);
await measure('500-item full-text Chinese RSS rebuilt from dutymachine/articles.jsonl', [chinese], PASSES * 2 + 1);
