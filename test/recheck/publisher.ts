/**
 * A local "publisher" for the re-check tests: a feed and one page per article on 127.0.0.1, each
 * page answering as its scripted mode says (the article, a changed title, a rewritten paragraph, 404,
 * 410, a redirect to the home page, a soft 404 with a removal notice, 503, an update that adds a
 * photo served at `/img/<n>.png`). A storm makes every page
 * answer 503. The feed lists the articles not dropped from it.
 */
import { startServer, type FixtureServer } from '../helpers/fixture-server.js';
import { png } from '../helpers/png.js';

/** PageMode is how one article's page answers. */
export type PageMode = 'ok' | 'retitled' | 'rewritten' | 'pictured' | '404' | '410' | 'home' | '503' | { notice: string };

/** PublishedArticle is one article of the publisher. */
export interface PublishedArticle {
  n: number;
  title: string;
  paragraphs: string[];
  published: number;
  mode: PageMode;
  inFeed: boolean;
}

/** Publisher is the running server and the script's controls. */
export interface Publisher {
  server: FixtureServer;
  articles: Map<number, PublishedArticle>;
  storm: boolean;
  feedUrl: string;
  pageUrl(n: number): string;
  /** Page requests seen so far (feed requests left out). */
  pageRequests(): number;
}

const TOPICS = ['经济刺激计划', '地方政府债务', '出口数据', '房地产市场', '人口普查', '外交访问', '环境保护', '网络审查', '新闻自由', '司法改革', '教育政策', '医疗改革', '能源转型'];

function paragraphsOf(n: number): string[] {
  const topic = TOPICS[(n - 1) % TOPICS.length] as string;
  return [
    `据报道，有关${topic}的最新消息于本周公布，引起了国内外观察人士的广泛关注和讨论，第${n}号报道详细记录了事件经过。`,
    `多位受访的学者表示，${topic}涉及的问题由来已久，需要从制度层面加以解决，而不是依靠短期的行政手段来应对。`,
    `官方媒体对此事的报道相对简短，仅称有关部门正在研究相关方案，并将在适当的时候向社会公布具体的实施细则。`,
    `一些网民在社交媒体上表达了不同的看法，但部分评论随后无法显示，引发外界对于讨论空间日益收窄的担忧。`,
  ];
}

function bodyOf(paragraphs: string[]): string {
  return paragraphs.map((text) => `<p>${text}</p>`).join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pageHtml(title: string, body: string): string {
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>${title} - 样本出版社</title></head><body><nav><a href="/">首页</a> <a href="/china/">中国</a></nav><article><h1>${title}</h1>${body}</article><footer>© 样本出版社</footer></body></html>`;
}

function noticeHtml(notice: string): string {
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>样本出版社</title></head><body><nav><a href="/">首页</a></nav><div class="notice"><p>${notice}</p></div></body></html>`;
}

/** startPublisher serves `count` articles, published one minute apart before `base`, each in the feed and answering normally. */
export async function startPublisher(count: number, base: number): Promise<Publisher> {
  const articles = new Map<number, PublishedArticle>();
  for (let n = 1; n <= count; n++) {
    articles.set(n, { n, title: `第${n}号报道：${TOPICS[(n - 1) % TOPICS.length] as string}的新进展`, paragraphs: paragraphsOf(n), published: base - (count + 1 - n) * 60_000, mode: 'ok', inFeed: true });
  }
  let pages = 0;
  const publisher: Publisher = {
    articles,
    storm: false,
    feedUrl: '',
    server: await startServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/feed.xml') {
        const items = [...articles.values()]
          .filter((article) => article.inFeed)
          .sort((a, b) => b.published - a.published)
          .map(
            (article) =>
              `<item><title>${escapeXml(article.title)}</title><link>${publisher.pageUrl(article.n)}</link><guid>${publisher.pageUrl(article.n)}</guid><pubDate>${new Date(article.published).toUTCString()}</pubDate><description>${escapeXml(bodyOf(article.paragraphs))}</description></item>`,
          )
          .join('');
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>样本出版社</title><link>${publisher.server.url}/</link>${items}</channel></rss>`);
        return;
      }
      if (url === '/' || url === '/china/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml('样本出版社首页', '<ul><li><a href="/a/1.html">新闻</a></li></ul>'));
        return;
      }
      const photo = /^\/img\/(\d+)\.png$/.exec(url);
      if (photo !== null) {
        res.writeHead(200, { 'content-type': 'image/png' }).end(png(24, 16, [200, 40, Number(photo[1]) % 256]));
        return;
      }
      const match = /^\/china\/2024\/a-(\d+)\.html$/.exec(url);
      const article = match === null ? undefined : articles.get(Number(match[1]));
      if (article === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      pages++;
      const mode = publisher.storm ? '503' : article.mode;
      if (mode === '404' || mode === '410' || mode === '503') {
        res.writeHead(Number(mode), { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${mode}</body></html>`);
      } else if (mode === 'home') {
        res.writeHead(302, { location: '/' }).end();
      } else if (typeof mode === 'object') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(noticeHtml(mode.notice));
      } else {
        const paragraphs = [...article.paragraphs];
        if (mode === 'rewritten') paragraphs[2] = '更正：官方媒体随后删除了原先的报道，改称有关部门从未研究过任何方案，此前的说法系外界误传，请以官方公布的信息为准。';
        if (mode === 'pictured') paragraphs[3] = '更新：本社记者当天在现场拍摄的照片显示，有关部门门前聚集了大批等候答复的民众，秩序总体平稳。';
        const title = mode === 'retitled' ? `官方否认：第${article.n}号报道所述情况不实` : article.title;
        const photoHtml = mode === 'pictured' ? `<figure><img src="/img/${article.n}.png" alt="现场照片"><figcaption>现场照片</figcaption></figure>` : '';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(title, photoHtml + bodyOf(paragraphs)));
      }
    }),
    pageUrl: (n) => `${publisher.server.url}/china/2024/a-${n}.html`,
    pageRequests: () => pages,
  };
  publisher.feedUrl = `${publisher.server.url}/feed.xml`;
  return publisher;
}
