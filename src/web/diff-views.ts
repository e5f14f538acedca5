/**
 * The diff page: what changed between two versions of an article, inline (one column, deletions and
 * insertions in reading order) or side by side (the old version left, the new right, row by row; stacked
 * on a phone). Every piece of article text is escaped into our own `<del>` and `<ins>`: no markup of a
 * body reaches this page (decisions D22).
 */
import { MEDIA_MARK, type BlockDiff, type DiffSegment, type VersionDiff } from '../core/diff/index.js';
import { LIMITS, capText } from '../core/model/index.js';
import { html, type SafeHtml } from './html.js';

/** DiffViewMode is how the diff page lays out the two versions. */
export type DiffViewMode = 'inline' | 'side';

/** VersionChoice is one version in the page's pickers and in the article page's list. */
export interface VersionChoice {
  version: number;
  seenAt: string;
  current: boolean;
}

/** DiffView is the diff page's data: the article, the two versions compared, their diff and how to show it. */
export interface DiffView {
  id: string;
  title: string;
  sourceName: string;
  from: VersionChoice;
  to: VersionChoice;
  versions: VersionChoice[];
  diff: VersionDiff;
  mode: DiffViewMode;
}

/** Paragraphs of context kept on each side of a change; an unchanged stretch hiding two or more paragraphs more is folded. */
const CONTEXT = 1;

/** diffUrl is the server route of the diff between two versions, in a mode (inline when left out). */
export function diffUrl(id: string, from: number, to: number, mode?: DiffViewMode): string {
  return `/articles/${id}/diff?from=${from}&to=${to}${mode === 'side' ? '&view=side' : ''}`;
}

/** diffPage renders the diff page: version pickers, the layout toggle, a summary, the title's and the body's changes. */
export function diffPage(view: DiffView): SafeHtml {
  const { diff, mode } = view;
  const other: DiffViewMode = mode === 'inline' ? 'side' : 'inline';
  return html`<article class="diff-page" aria-labelledby="diff-title">
<p class="meta"><a href="/articles/${view.id}">← ${capText(view.title, LIMITS.pageTitleChars) || '（无标题）'}</a> · ${view.sourceName}</p>
<h1 id="diff-title">第 ${view.from.version} 版 → 第 ${view.to.version} 版</h1>
<form class="diff-pick" action="/articles/${view.id}/diff" method="get">
<label>从${versionSelect('from', view.versions, view.from.version)}</label>
<label>到${versionSelect('to', view.versions, view.to.version)}</label>
${mode === 'side' ? html`<input type="hidden" name="view" value="side">` : ''}<button type="submit">比较</button>
</form>
<nav class="diff-modes" aria-label="显示方式">
${modeLink(view, 'inline', '行内对照')} · ${modeLink(view, 'side', '左右对照')}
</nav>
<p class="diff-summary" role="status">${summary(diff)}</p>
${diff.titleChanged ? html`<h2>标题</h2>\n${mode === 'inline' ? html`<p class="diff-title">${segments(diff.title, 'both')}</p>` : sideTable(view, [{ op: 'change', tag: 'p', segments: diff.title }])}` : ''}
<h2>正文</h2>
${bodyChanged(diff) ? (mode === 'inline' ? inline(diff.blocks) : sideTable(view, diff.blocks)) : html`<p class="notice">${sameBody(diff)}</p>`}
<p class="meta"><a href="${diffUrl(view.id, view.from.version, view.to.version, other)}">${other === 'side' ? '改为左右对照' : '改为行内对照'}</a> · <a href="/articles/${view.id}?version=${view.from.version}">第 ${view.from.version} 版全文</a> · <a href="/articles/${view.id}${view.to.current ? '' : `?version=${view.to.version}`}">第 ${view.to.version} 版全文</a></p>
</article>`;
}

/**
 * diffFeedHtml renders a diff for a feed entry: the title's change, then the body's changed paragraphs
 * inline with their context, long unchanged stretches cut to one line (feed readers may not open a
 * `<details>`), and a link to the diff page.
 */
export function diffFeedHtml(diff: VersionDiff, pageUrl: string): string {
  return html`${diff.titleChanged ? html`<p>标题：${segments(diff.title, 'both')}</p>
` : ''}${
    !bodyChanged(diff)
      ? html`<p>${sameBody(diff)}</p>
`
      : foldUnchanged(diff.blocks).map((row) => ('folded' in row ? html`<p>⋯⋯（${row.folded.length} 段未改动）</p>
` : paragraph(row.block, 'both')))
  }<p><a href="${pageUrl}">查看改动对照</a></p>`.value;
}

function bodyChanged(diff: VersionDiff): boolean {
  return diff.stats.changedBlocks + diff.stats.deletedBlocks + diff.stats.insertedBlocks > 0;
}

function sameBody(diff: VersionDiff): string {
  return diff.titleChanged ? '正文的文字没有改动。' : '两个版本的文字相同：只有格式或空白不同。';
}

function versionSelect(name: string, versions: VersionChoice[], chosen: number): SafeHtml {
  return html`<select name="${name}">
${versions.map((version) => html`<option value="${version.version}"${version.version === chosen ? html` selected` : ''}>第 ${version.version} 版 · ${version.seenAt}${version.current ? '（当前）' : ''}</option>\n`)}</select>`;
}

function modeLink(view: DiffView, mode: DiffViewMode, label: string): SafeHtml {
  const href = diffUrl(view.id, view.from.version, view.to.version, mode);
  return view.mode === mode ? html`<a href="${href}" aria-current="true">${label}</a>` : html`<a href="${href}">${label}</a>`;
}

function summary(diff: VersionDiff): SafeHtml {
  const { stats } = diff;
  const parts: string[] = [];
  if (diff.titleChanged) parts.push('标题改动');
  if (stats.changedBlocks > 0) parts.push(`${stats.changedBlocks} 段改动`);
  if (stats.deletedBlocks > 0) parts.push(`${stats.deletedBlocks} 段删去`);
  if (stats.insertedBlocks > 0) parts.push(`${stats.insertedBlocks} 段新增`);
  if (parts.length === 0) return html`没有文字改动。`;
  const counts = [
    stats.deletedChars > 0 ? html`删除 <span class="d-count-del">${stats.deletedChars}</span> 字` : undefined,
    stats.insertedChars > 0 ? html`新增 <span class="d-count-ins">${stats.insertedChars}</span> 字` : undefined,
  ].filter((count) => count !== undefined);
  return html`${parts.join('，')}${counts.length > 0 ? html`；共${counts.flatMap((count, index) => (index === 0 ? [count] : [html`，`, count]))}` : ''}。`;
}

/** The rows to show: long unchanged stretches become one folded row (a `<details>`: it opens without script). */
type ShownRow = { block: BlockDiff } | { folded: BlockDiff[] };

function foldUnchanged(blocks: readonly BlockDiff[]): ShownRow[] {
  const rows: ShownRow[] = [];
  let index = 0;
  while (index < blocks.length) {
    if ((blocks[index] as BlockDiff).op !== 'equal') {
      rows.push({ block: blocks[index] as BlockDiff });
      index++;
      continue;
    }
    let end = index;
    while (end < blocks.length && (blocks[end] as BlockDiff).op === 'equal') end++;
    const keepBefore = index === 0 ? 0 : CONTEXT;
    const keepAfter = end === blocks.length ? 0 : CONTEXT;
    if (end - index - keepBefore - keepAfter >= 2) {
      for (let at = index; at < index + keepBefore; at++) rows.push({ block: blocks[at] as BlockDiff });
      rows.push({ folded: blocks.slice(index + keepBefore, end - keepAfter) });
      for (let at = end - keepAfter; at < end; at++) rows.push({ block: blocks[at] as BlockDiff });
    } else {
      for (let at = index; at < end; at++) rows.push({ block: blocks[at] as BlockDiff });
    }
    index = end;
  }
  return rows;
}

function inline(blocks: readonly BlockDiff[]): SafeHtml {
  return html`<div class="diff diff-inline">
${foldUnchanged(blocks).map((row) =>
  'folded' in row
    ? html`<details class="d-fold"><summary>${row.folded.length} 段未改动</summary>\n${row.folded.map((block) => paragraph(block, 'both'))}</details>\n`
    : paragraph(row.block, 'both'),
)}</div>`;
}

function sideTable(view: DiffView, blocks: readonly BlockDiff[]): SafeHtml {
  return html`<table class="diff diff-side">
<thead><tr><th scope="col">第 ${view.from.version} 版 · ${view.from.seenAt}</th><th scope="col">第 ${view.to.version} 版 · ${view.to.seenAt}</th></tr></thead>
<tbody>
${foldUnchanged(blocks).map((row) => {
  if ('folded' in row) {
    return html`<tr class="d-folded"><td colspan="2"><details class="d-fold"><summary>${row.folded.length} 段未改动</summary>\n${row.folded.map((block) => paragraph(block, 'both'))}</details></td></tr>\n`;
  }
  const { block } = row;
  const left = block.op === 'insert' ? html`` : paragraph(block, 'old');
  const right = block.op === 'delete' ? html`` : paragraph(block, 'new');
  return html`<tr class="d-${block.op}"><td data-side="第 ${view.from.version} 版">${left}</td><td data-side="第 ${view.to.version} 版">${right}</td></tr>\n`;
})}</tbody>
</table>`;
}

/** paragraph renders one row's text on a side: `old` leaves insertions out, `new` deletions, `both` keeps both. */
function paragraph(block: BlockDiff, side: 'old' | 'new' | 'both'): SafeHtml {
  const kind = TAG_KIND[block.tag] ?? 'p';
  if (block.op === 'change') return html`<p class="d-change d-${kind}">${segments(block.segments, side)}</p>\n`;
  if (block.op === 'delete') return html`<p class="d-delete d-${kind}"><del>${text(block.text)}</del></p>\n`;
  if (block.op === 'insert') return html`<p class="d-insert d-${kind}"><ins>${text(block.text)}</ins></p>\n`;
  return html`<p class="d-equal d-${kind}">${text(block.text)}</p>\n`;
}

const TAG_KIND: Readonly<Record<string, string>> = {
  h1: 'h', h2: 'h', h3: 'h', h4: 'h', h5: 'h', h6: 'h', li: 'li', dt: 'li', dd: 'li', blockquote: 'q', pre: 'pre', figcaption: 'cap', caption: 'cap',
};

function segments(list: readonly DiffSegment[], side: 'old' | 'new' | 'both'): SafeHtml[] {
  return list.map((segment) => {
    if (segment.op === 'delete') return side === 'new' ? html`` : html`<del>${text(segment.text)}</del>`;
    if (segment.op === 'insert') return side === 'old' ? html`` : html`<ins>${text(segment.text)}</ins>`;
    return text(segment.text);
  });
}

/** text escapes diff text, showing each media label (MEDIA_MARK-bracketed) as a bracketed label. */
function text(value: string): SafeHtml {
  if (!value.includes(MEDIA_MARK)) return html`${value}`;
  return html`${value.split(MEDIA_MARK).map((piece, index) => (index % 2 === 1 ? html`<span class="d-media">[${piece}]</span>` : piece))}`;
}
