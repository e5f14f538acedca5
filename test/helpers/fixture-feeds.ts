import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRss, FIXTURE_CORPUS, loadCorpusRows, rowToItem, SOURCE_IDS, type CorpusRow } from './corpus.js';
import { startServer, type FixtureServer } from './fixture-server.js';

/** FixtureFeeds are the fixture corpus's clean articles as one RSS feed per source (for CLI end-to-end tests). */
export interface FixtureFeeds {
  rows: CorpusRow[];
  /** RSS documents by source id. */
  feeds: Map<string, string>;
}

/** fixtureFeeds builds a feed per source from the fixture corpus's rows that have a link and no flag. */
export function fixtureFeeds(): FixtureFeeds {
  const rows = loadCorpusRows(FIXTURE_CORPUS).filter(
    (row) => SOURCE_IDS[row.source] !== undefined && typeof row.link === 'string' && row.link.startsWith('http') && row.flags.length === 0,
  );
  const feeds = new Map<string, string>();
  for (const [folder, id] of Object.entries(SOURCE_IDS)) {
    const items = rows.filter((row) => row.source === folder).map(rowToItem);
    if (items.length > 0) feeds.set(id, buildRss({ title: folder, link: `https://${id}.test/` }, items));
  }
  return { rows, feeds };
}

/** serveFeeds answers `/feeds/<id>.xml` with the feeds from a loopback server; anything else is a 404. */
export function serveFeeds(feeds: Map<string, string>): Promise<FixtureServer> {
  return startServer((req, res) => {
    const id = /^\/feeds\/([a-z0-9_-]+)\.xml$/.exec(req.url ?? '')?.[1];
    const body = id === undefined ? undefined : feeds.get(id);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
}

/** writeFeedsConfig writes `dir/newsmirror.yaml` with a source per feed (full text from the feed) on `database`. */
export async function writeFeedsConfig(dir: string, database: string, feedBase: string, feeds: Map<string, string>, extra = ''): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'newsmirror.yaml');
  const sources = [...feeds.keys()].map((id) => `  - { id: ${id}, name: "${id} 测试", url: "${feedBase}/feeds/${id}.xml", fulltext: feed }`).join('\n');
  await writeFile(file, `archive: ./archive\ndatabase: "${database}"\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n${extra}sources:\n${sources}\n`);
  return file;
}
