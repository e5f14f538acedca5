/**
 * Legacy encodings without a label. Feeds in Big5, GBK, Shift_JIS, EUC-KR and KOI8-R that declare no
 * encoding are served from 127.0.0.1 without a charset; the real CLI syncs them; the titles in the
 * store and in the article files must be the text that was encoded, and the run report must carry the
 * detected encoding with its confidence as a parse warning. Labelled feeds keep their label. Over the
 * corpus, every archived article as an undeclared GBK page and as a Big5 page, and every feed of
 * them, must be detected as the encoding it was written in.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/adapters/store/sqlite/index.js';
import { decodeText } from '../../src/core/decode/index.js';
import type { SourceReport } from '../../src/core/model/index.js';
import { parseArticleFile } from '../../src/core/render/index.js';
import { runCli } from '../helpers/cli.js';
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { chineseSamples, corpusSkip, corpusFeedSamples, otherLanguageSamples, traditional } from './encoding-samples.js';
import { encodeLegacy, type LegacyEncoding } from './legacy-bytes.js';

// Short news items of the kind each source sends; the Chinese ones also go out in traditional script.
const CHINESE = [
  { title: '香港立法会今日通过新的交通条例', text: '政府表示，新条例将于明年一月起实施，市民可以在网上查询详细内容。' },
  { title: '台湾地区领导人发表讲话 呼吁两岸对话', text: '讲话指出，双方应该通过和平方式解决分歧，维护地区稳定与发展。' },
  { title: '国际油价连续第三周上涨', text: '分析人士认为，主要产油国减产以及需求回升是推动价格上涨的原因。' },
];
const JAPANESE = [{ title: '東京で新しい美術館が開館しました', text: '美術館には現代の作品が多く展示されており、初日から多くの人が訪れました。' }];
const KOREAN = [{ title: '서울시 대중교통 요금 인상 발표', text: '시민 단체는 물가 상승으로 생활비 부담이 커지고 있다며 반대 입장을 밝혔다.' }];
const RUSSIAN = [
  {
    title: 'В Москве открылась новая станция метро',
    text: 'Станция соединит два района города и облегчит ежедневные поездки жителей. По словам мэрии, строительство заняло четыре года, а пассажиропоток составит около сорока тысяч человек в сутки. Жители соседних улиц давно ждали открытия станции.',
  },
];

interface Served {
  id: string;
  encoding: LegacyEncoding;
  items: { title: string; text: string }[];
  /** An explicit label the test adds: an HTTP charset or an XML declaration. */
  label?: { header?: string; declaration?: string };
  /** The encoding the warning must name, when the feed is unlabelled. */
  detected?: string;
}

const hant = CHINESE.map((item) => ({ title: traditional(item.title), text: traditional(item.text) }));
const SERVED: Served[] = [
  { id: 'big5', encoding: 'big5', items: hant, detected: 'big5' },
  { id: 'gbk', encoding: 'gbk', items: CHINESE, detected: 'gb18030' },
  { id: 'sjis', encoding: 'shift_jis', items: JAPANESE, detected: 'shift_jis' },
  { id: 'euckr', encoding: 'euc-kr', items: KOREAN, detected: 'euc-kr' },
  { id: 'koi8', encoding: 'koi8-r', items: RUSSIAN, detected: 'koi8-r' },
  { id: 'big5header', encoding: 'big5', items: hant, label: { header: 'big5' } },
  { id: 'gbkdecl', encoding: 'gbk', items: CHINESE, label: { declaration: 'gbk' } },
];

function feedText(served: Served): string {
  const items = served.items
    .map((item, n) => `<item><title>${item.title}</title><link>https://news.example.org/${served.id}/${n}</link><description>&lt;p&gt;${item.text}&lt;/p&gt;</description><pubDate>${new Date(Date.UTC(2024, 0, 1, n)).toUTCString()}</pubDate></item>`)
    .join('\n');
  const declaration = served.label?.declaration === undefined ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${served.label.declaration}"?>`;
  return `${declaration}\n<rss version="2.0"><channel><title>${served.id}</title><link>https://news.example.org/</link><description>d</description>\n${items}\n</channel></rss>\n`;
}

describe('unlabelled legacy encodings through the CLI', () => {
  let temp: { dir: string; cleanup(): Promise<void> };
  let server: FixtureServer;

  before(async () => {
    temp = await makeTempDir('newsmirror-encodings-');
    const bodies = new Map(SERVED.map((served) => [served.id, { bytes: encodeLegacy(feedText(served), served.encoding).bytes, served }]));
    server = await startServer((req, res) => {
      const entry = bodies.get(/^\/([a-z0-9]+)\.xml$/.exec(req.url ?? '')?.[1] ?? '');
      if (entry === undefined) {
        res.writeHead(404).end();
        return;
      }
      const charset = entry.served.label?.header;
      res.writeHead(200, { 'content-type': charset === undefined ? 'application/rss+xml' : `application/rss+xml; charset=${charset}` }).end(entry.bytes);
    });
    const sources = SERVED.map((served) => `  - { id: ${served.id}, name: "${served.id}", url: "${server.url}/${served.id}.xml", fulltext: feed }`).join('\n');
    await writeFile(
      join(temp.dir, 'newsmirror.yaml'),
      `archive: ./archive\ndatabase: ./store.db\nnetwork:\n  allowPrivateNetworks: true\n  retries: 0\n  timeoutSeconds: 10\nmedia: { enabled: false }\nsources:\n${sources}\n`,
    );
  });
  after(async () => {
    await server.close();
    await temp.cleanup();
  });

  it('HE-01 titles are the encoded text, and the detected encoding is a parse warning with its confidence', async () => {
    const result = await runCli(['sync', '--config', join(temp.dir, 'newsmirror.yaml')]);
    assert.equal(result.code, 0, result.stderr);

    const store = openSqliteStore(join(temp.dir, 'store.db'));
    try {
      const report = await store.lastRunReport();
      assert.ok(report, 'the run saved a report');
      for (const served of SERVED) {
        const source: SourceReport | undefined = report.sources.find((s) => s.sourceId === served.id);
        assert.ok(source, served.id);
        const decode: string[] = source.warnings.filter((w) => w.startsWith('parse: decode:'));
        if (served.detected === undefined) {
          assert.deepEqual(decode, [], `${served.id}: an explicit label is used as is`);
        } else {
          assert.equal(decode.length, 1, `${served.id}: ${JSON.stringify(source.warnings)}`);
          assert.match(decode[0] as string, new RegExp(`; detected ${served.detected} \\((?:share of common hanzi|chardet confidence) (?:0\\.\\d\\d|1\\.00)\\)$`), served.id);
        }
      }
    } finally {
      await store.close();
    }

    const archive = join(temp.dir, 'archive', 'articles');
    for (const served of SERVED) {
      const folder = join(archive, served.id);
      const files = (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.md'));
      const titles = await Promise.all(files.map(async (name) => parseArticleFile(await readFile(join(folder, name), 'utf8')).title));
      assert.deepEqual(titles.sort(), served.items.map((item) => item.title).sort(), `${served.id} titles in the article files`);
    }
  });
});

describe('unlabelled legacy encodings over the corpus', () => {
  it('HE-02 GBK vs Big5 is right on every other article page and every feed; the corpus feeds and other languages too', { skip: corpusSkip }, () => {
    const wrong: string[] = [];
    let checked = 0;
    // Every second article keeps the test under a minute; bench/encoding.ts runs them all.
    const samples = [...chineseSamples(2).filter((s) => s.group !== 'zh one-title feed'), ...corpusFeedSamples(), ...otherLanguageSamples()];
    for (const sample of samples) {
      const decoded = decodeText(sample.bytes);
      const same = decoded.encoding === sample.expected || decoded.text === new TextDecoder(sample.expected).decode(sample.bytes);
      // koi8-r_tiny.xml is 9 words of Russian: too little for any detector (bench/encoding.ts).
      if (!same && sample.name !== 'koi8-r_tiny.xml') wrong.push(`${sample.name}: ${decoded.encoding} ≠ ${sample.expected}`);
      checked++;
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked >= 3000, `${checked} documents`);
  });
});
