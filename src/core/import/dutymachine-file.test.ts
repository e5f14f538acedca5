import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CORPORA, corpusPath, type Corpus } from '../../../test/helpers/corpus.js';
import { dutyMachineText, type DutyMachineRow } from '../../../test/helpers/dutymachine.js';
import { parseDutyMachinePath, readDutyMachineFile } from './dutymachine-file.js';

const LEAST: Record<Corpus['name'], { samples: number; rows: number }> = {
  shared: { samples: 50, rows: 3000 },
  fixture: { samples: 4, rows: 40 },
};

function rows(corpus: Corpus): DutyMachineRow[] {
  return readFileSync(corpusPath(corpus, 'dutymachine/articles.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as DutyMachineRow);
}

function withoutDateLine(html: string): string {
  return html.replace(/^日期：[^\n]*\n*/, '');
}

function readOk(text: string): ReturnType<typeof readDutyMachineFile> & { ok: true } {
  const read = readDutyMachineFile(text);
  assert.ok(read.ok, `readable: ${read.ok ? '' : read.reason}`);
  return read;
}

for (const corpus of CORPORA) describe(`duty-machine files (${corpus.name} corpus)`, () => {
  it('DM01 reads every raw sample byte for byte as articles.jsonl records it, the 日期 line as the date', { skip: corpus.skip }, () => {
    const byPath = new Map(rows(corpus).map((row) => [row.path, row]));
    const manifest = readFileSync(corpusPath(corpus, 'dutymachine/raw_samples/MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
    assert.ok(manifest.length >= LEAST[corpus.name].samples);
    for (const line of manifest) {
      const [file, , path] = line.split('\t') as [string, string, string];
      const row = byPath.get(path);
      assert.ok(row, `row for ${path}`);
      assert.ok(parseDutyMachinePath(path), path);
      const { entry, format } = readOk(readFileSync(corpusPath(corpus, `dutymachine/raw_samples/${file}`), 'utf8'));
      assert.equal(entry.link, row.link, file);
      assert.equal(entry.title, row.title, file);
      assert.equal(entry.content, withoutDateLine(row.html), file);
      if (row.pubDate === null) {
        assert.equal(format, 'dateline', file);
        const dateLine = /^日期：([^\n]+)/.exec(row.html);
        assert.equal(entry.published, Date.parse(dateLine![1]!), file);
      } else {
        assert.equal(entry.published, row.pubDate, file);
      }
    }
  });

  it('DM02 reads every file rebuilt from articles.jsonl, the anomalies included', { skip: corpus.skip }, () => {
    let checked = 0;
    for (const row of rows(corpus)) {
      const { entry } = readOk(dutyMachineText(row));
      if (row.flags?.includes('malformed_title_line')) {
        assert.equal(entry.title, '德语媒体：北京的快速回应');
      } else {
        assert.equal(entry.title, row.title ?? undefined, row.path);
        assert.equal(entry.link, row.link, row.path);
      }
      checked++;
    }
    assert.ok(checked >= LEAST[corpus.name].rows);
  });
});

describe('readDutyMachineFile variants', () => {
  const body = '<p>正文</p>';
  it('DM10 the <!--ms--> header format gives the date from the header', () => {
    const { entry, format } = readOk(`<!--1593597319000-->\n[标题](https://www.rfi.fr/cn/a)\n------\n\n${body}\n`);
    assert.deepEqual([entry.title, entry.link, entry.content, entry.published, format], ['标题', 'https://www.rfi.fr/cn/a', body, 1593597319000, 'header']);
  });

  it('DM11 the header-less format takes the date from the 日期 line and leaves it out of the body', () => {
    const { entry, format } = readOk(`[标题](https://chinadigitaltimes.net/chinese/2020/06/x/)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n${body}\n`);
    assert.equal(entry.published, Date.UTC(2020, 5, 27, 13, 30, 55));
    assert.equal(entry.content, body);
    assert.equal(format, 'dateline');
  });

  it('DM12 a title broken across lines is joined', () => {
    const { entry } = readOk(`<!--1593446049000-->\n[德语媒体：北京的快速回应\n\n](https://www.dw.com/zh/a-53985946)\n------\n\n${body}\n`);
    assert.equal(entry.title, '德语媒体：北京的快速回应');
    assert.equal(entry.link, 'https://www.dw.com/zh/a-53985946');
  });

  it('DM13 CRLF line ends read as LF', () => {
    const { entry } = readOk(`<!--1-->\r\n[标题](https://www.bbc.com/zhongwen/simp/a)\r\n------\r\n\r\n${body}\r\n<p>二</p>\r\n`);
    assert.equal(entry.title, '标题');
    assert.equal(entry.content, `${body}\n<p>二</p>`);
    assert.equal(entry.published, 1);
  });

  it('DM14 the block inside Jekyll front matter is read; the front matter date is the fallback', () => {
    const front = '---\r\nlayout: post\r\ntitle: "前言标题"\r\ndate: 2020-07-01T10:00:00Z\r\ncategories: 法广\r\n---\r\n';
    const withHeader = readOk(`${front}<!--1593597319000-->\r\n[标题](https://www.rfi.fr/cn/a)\r\n------\r\n\r\n${body}\r\n`);
    assert.deepEqual([withHeader.entry.title, withHeader.entry.published, withHeader.format], ['标题', 1593597319000, 'jekyll']);
    const bare = readOk(`${front}[](https://www.rfi.fr/cn/a)\r\n------\r\n\r\n${body}\r\n`);
    assert.deepEqual([bare.entry.title, bare.entry.published], ['前言标题', Date.UTC(2020, 6, 1, 10)]);
  });

  it('DM15 what cannot be read says why', () => {
    assert.deepEqual(readDutyMachineFile(''), { ok: false, reason: 'empty' });
    assert.deepEqual(readDutyMachineFile('just text\n'), { ok: false, reason: 'no-link' });
    assert.deepEqual(readDutyMachineFile('[t](javascript:alert(1))\n------\n\nx\n'), { ok: false, reason: 'bad-link' });
  });

  it('DM16 paths: <id>.md and <id>_<title>.md under a site folder; anything else is not an article path', () => {
    assert.deepEqual(parseDutyMachinePath('articles/法广/1048058_中国 | 硬推.md'), { folder: '法广', oldId: '1048058', title: '中国 | 硬推' });
    assert.deepEqual(parseDutyMachinePath('articles/BBC/1047443.md'), { folder: 'BBC', oldId: '1047443' });
    assert.deepEqual(parseDutyMachinePath('articles/德国之声/1048198_德语媒体：北京的快速回应\n\n.md')?.oldId, '1048198');
    assert.equal(parseDutyMachinePath('lists/BBC.md'), undefined);
    assert.equal(parseDutyMachinePath('articles/BBC/notes.md'), undefined);
    assert.equal(parseDutyMachinePath('articles/BBC/2020/1.md'), undefined);
  });
});
