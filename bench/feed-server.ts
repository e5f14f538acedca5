/**
 * A feedx-like feed server for benchmarks, run as its own process so its memory and CPU are not
 * counted as the sync's. Serves /feeds/s<N>.xml for N < SOURCES, each with ITEMS real corpus articles
 * (every source a different slice, links made unique per source), with ETag / 304 support.
 * Prints its base URL on stdout. An optional third argument fixes the port (a restarted server keeps
 * its URL, as a real feed does: relative links in items resolve against it).
 */
import { createServer } from 'node:http';
import { SHARED_CORPUS, buildRss, loadCorpusRows, rowToItem } from '../test/helpers/corpus.js';

const sources = Number(process.argv[2] ?? 300);
const items = Number(process.argv[3] ?? 50);
const port = Number(process.argv[4] ?? 0);
const rows = loadCorpusRows(SHARED_CORPUS).filter((row) => row.flags.length === 0);
const feeds = new Map<string, { body: Buffer; etag: string }>();
for (let s = 0; s < sources; s++) {
  const feedItems = Array.from({ length: items }, (_, i) => {
    const row = rows[(s * items + i) % rows.length]!;
    return { ...rowToItem(row), link: `${row.link}${row.link.includes('?') ? '&' : '?'}bench=${s}-${i}` };
  });
  feeds.set(`/feeds/s${s}.xml`, { body: Buffer.from(buildRss({ title: `s${s}`, link: 'https://example.com/' }, feedItems)), etag: `"s${s}-v1"` });
}
const server = createServer((req, res) => {
  const feed = feeds.get(req.url ?? '');
  if (!feed) return void res.writeHead(404).end();
  if (req.headers['if-none-match'] === feed.etag && process.env.BENCH_IGNORE_ETAG !== '1') return void res.writeHead(304, { etag: feed.etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: feed.etag }).end(feed.body);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`http://127.0.0.1:${address.port}\n`);
});
