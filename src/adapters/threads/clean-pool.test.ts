import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cleanArticle } from '../../core/clean/index.js';
import { identityOfEntry } from '../../core/identity/index.js';
import { indexTextOf } from '../../core/search/index.js';
import { FIXTURE_CORPUS, loadCorpusRows } from '../../../test/helpers/corpus.js';
import { openCleanThread } from './clean-pool.js';

describe('openCleanThread', () => {
  const cleaner = openCleanThread();
  after(() => cleaner.close());

  it('CT01 answers exactly what cleanArticle and identityOfEntry give, in order, for real bodies of every source', async () => {
    const rows = loadCorpusRows(FIXTURE_CORPUS).filter((row) => row.link !== null).slice(0, 40);
    const requests = rows.map((row) => ({ html: row.html, link: row.link as string, sourceId: row.source, title: row.title }));
    const answers = await cleaner.clean(requests);
    assert.equal(answers.length, requests.length);
    assert.deepEqual(answers, requests.map((request) => {
      const url = new URL(request.link).href;
      const identity = identityOfEntry({ title: request.title, content: request.html, link: request.link });
      return { url, html: cleanArticle(request.html, { url, sourceId: request.sourceId }).html, identity };
    }));
    assert.ok(answers.some((answer) => answer?.identity.canonicalUrl !== undefined && answer.identity.canonicalUrl !== answer.url), 'some link canonicalized');
  });

  it('CT02 several requests in flight are answered each with its own bodies', async () => {
    const bodies = ['<p>一</p>', '<div><p>二</p><script>x()</script></div>', ''];
    const answers = await Promise.all(bodies.map((html) => cleaner.clean([{ html, link: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }])));
    assert.deepEqual(answers.map((answer) => answer.map((body) => body?.html)), bodies.map((html) => [cleanArticle(html, { url: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }).html]));
  });

  it('CT04 a link that is no URL gets no answer, so the plan deals with it', async () => {
    assert.deepEqual(await cleaner.clean([{ html: '<p>x</p>', link: 'not a url', sourceId: 'rfi' }]), [undefined]);
  });

  it('CT05 gives each article exactly indexTextOf, in order, between cleaning requests', async () => {
    const rows = loadCorpusRows(FIXTURE_CORPUS).slice(0, 30);
    const articles = rows.map((row) => ({ title: row.title ?? '', bodyHtml: row.html }));
    const [texts, bodies] = await Promise.all([cleaner.indexTexts(articles), cleaner.clean([{ html: '<p>一</p>', link: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }])]);
    assert.deepEqual(texts, articles.map(indexTextOf));
    assert.ok(texts.some((text) => text.bodyTokens.length > 100));
    assert.equal(bodies.length, 1);
  });

  it('CT03 a closed thread refuses further requests', async () => {
    const closed = openCleanThread();
    await closed.close();
    await assert.rejects(closed.clean([{ html: '<p>x</p>', link: 'https://www.rfi.fr/cn/x', sourceId: 'rfi' }]), /clean-thread ended/);
  });
});
