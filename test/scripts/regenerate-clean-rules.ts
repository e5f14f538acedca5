/**
 * Regenerates the golden fixtures of the per-site cleaning rules (src/core/clean/rules/testdata).
 * Review every changed `.expected.html` by eye (git diff) before committing it.
 *
 *   npx tsx test/scripts/regenerate-clean-rules.ts          # rewrite *.expected.html
 *   npx tsx test/scripts/regenerate-clean-rules.ts --pick   # add missing inputs from the shared corpus
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanArticle } from '../../src/core/clean/index.js';
import type { Fixture } from '../helpers/clean.js';
import { SEED_FILE, SHARED_CORPUS, SOURCE_IDS, corpusPath } from '../helpers/corpus.js';

const HERE = fileURLToPath(new URL('../../src/core/clean/rules/testdata/', import.meta.url));
const INDEX = join(HERE, 'fixtures.json');


interface Row {
  source: string;
  path: string;
  id: number;
  link: string | null;
  html: string | null;
}

// Items picked by hand for a construct the automatic choice misses: RFI <noscript> image and YouTube
// iframes, CDT Amazon tracking pixel, VOA video + audio, DW video.
const EXTRA: readonly string[] = ['法广/1047922', '法广/1048125', '中国数字时代/398138', '美国之音/1047752', '德国之声/1047801'];

const NOISE = [/<img/g, /<iframe/g, /<noscript/g, /<video|<audio/g, /ad|advert/g, /weserv/g, /<figure/g, /<blockquote/g, /<table/g, /srcset/g];

function noiseScore(html: string): number {
  return NOISE.reduce((sum, pattern) => sum + Math.min(5, html.match(pattern)?.length ?? 0), 0);
}

function pick(): Fixture[] {
  const rows = readFileSync(corpusPath(SHARED_CORPUS, 'dutymachine/articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row)
    .filter((row) => row.html !== null && row.link !== null)
    .sort((a, b) => a.path.localeCompare(b.path));
  const fixtures: Fixture[] = [];
  for (const [folder, sourceId] of Object.entries(SOURCE_IDS)) {
    const mine = rows.filter((row) => row.source === folder && (row.html ?? '').length < 16000);
    const chosen = new Set<Row>();
    const footer = mine.find((row) => (row.html ?? '').includes('获取更多RSS'));
    const plain = mine.find((row) => !(row.html ?? '').includes('获取更多RSS') && (row.html ?? '').length > 1500);
    const noisy = [...mine].sort((a, b) => noiseScore(b.html ?? '') - noiseScore(a.html ?? '') || a.path.localeCompare(b.path))[0];
    for (const row of [footer, plain, noisy, ...mine]) {
      if (row !== undefined && chosen.size < 3) chosen.add(row);
    }
    for (const row of rows) {
      if (row.source === folder && EXTRA.includes(`${folder}/${row.id}`)) chosen.add(row);
    }
    for (const row of chosen) {
      fixtures.push({ site: sourceId, name: String(row.id), url: row.link ?? '', sourceId, origin: row.path });
      const file = join(HERE, sourceId, `${row.id}.html`);
      mkdirSync(dirname(file), { recursive: true });
      if (!existsSync(file)) writeFileSync(file, row.html ?? '');
    }
  }
  const seed = readFileSync(SEED_FILE, 'utf8');
  const url = /^\[.*\]\((.*)\)$/m.exec(seed)?.[1] ?? '';
  const body = seed.split('------\n\n')[1] ?? '';
  mkdirSync(join(HERE, 'rfi'), { recursive: true });
  writeFileSync(join(HERE, 'rfi', 'seed.html'), body);
  fixtures.push({ site: 'rfi', name: 'seed', url, sourceId: 'rfi', origin: 'shared/seed/rfi-article.md' });
  return fixtures;
}

function regenerate(fixtures: readonly Fixture[]): void {
  for (const fixture of fixtures) {
    const input = readFileSync(join(HERE, fixture.site, `${fixture.name}.html`), 'utf8');
    const result = cleanArticle(input, { url: fixture.url, sourceId: fixture.sourceId });
    const file = join(HERE, fixture.site, `${fixture.name}.expected.html`);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const after = `${result.html}\n`;
    writeFileSync(file, after);
    const state = before === after ? 'same   ' : before === '' ? 'new    ' : 'CHANGED';
    console.log(`${state} ${fixture.site}/${fixture.name} ${input.length} -> ${after.length} chars; removed: ${result.removed.join(', ')}`);
  }
}

if (process.argv.includes('--pick')) {
  writeFileSync(INDEX, `${JSON.stringify(pick(), null, 2)}\n`);
}
regenerate(JSON.parse(readFileSync(INDEX, 'utf8')) as Fixture[]);
