/**
 * The reader's static assets, kept in code so the server needs no asset folder: one stylesheet
 * (served at /assets/app.css, since the Content-Security-Policy allows no inline style) and the icon.
 */
import { createHash } from 'node:crypto';

/** APP_CSS is the whole stylesheet: system CJK fonts, one readable column, dark mode by media query. */
export const APP_CSS = `
:root {
  color-scheme: light dark;
  --bg: #fbfaf7; --fg: #1d1d1f; --muted: #5f6368; --line: #e3e0d8; --accent: #a4262c; --card: #ffffff;
  --mark: #ffe98a; --ok: #1e7d32; --warn: #a15c00; --bad: #b3261e;
  --sans: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  --serif: "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
}
:root:lang(zh-Hant) {
  --sans: system-ui, -apple-system, "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK TC", "Source Han Sans TC", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #121212; --fg: #e8e6e3; --muted: #a8a49c; --line: #2e2d2b; --accent: #ff8a80; --card: #1b1b1b; --mark: #6b5900; --ok: #81c784; --warn: #ffb74d; --bad: #ef9a9a; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.75 var(--sans); }
a { color: var(--accent); text-underline-offset: 0.2em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header.site { border-bottom: 1px solid var(--line); background: var(--card); }
header.site .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding-top: .6rem; padding-bottom: .6rem; }
.brand { font-weight: 700; font-size: 1.15rem; color: var(--fg); text-decoration: none; margin-right: auto; }
.brand span { color: var(--accent); }
form.search { display: flex; gap: .4rem; flex: 1 1 16rem; max-width: 26rem; }
input, select, button { font: inherit; font-size: 1rem; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .35rem .6rem; }
input[type=search] { flex: 1; min-width: 0; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
nav.variant { font-size: .95rem; white-space: nowrap; }
nav.variant [aria-current] { font-weight: 700; color: var(--fg); text-decoration: none; }
main { padding: 1.2rem 0 3rem; }
h1 { font-size: 1.6rem; line-height: 1.35; margin: .4rem 0 .8rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
.meta, .muted { color: var(--muted); font-size: .92rem; }
ul.articles { list-style: none; padding: 0; margin: 0; }
ul.articles li { display: grid; grid-template-columns: auto 1fr; gap: 0 .8rem; padding: .45rem 0; border-bottom: 1px solid var(--line); }
ul.articles time, ul.articles .src { color: var(--muted); font-size: .88rem; font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.articles .title { grid-column: 2; }
ul.articles li:has(.snippet) .title { grid-column: 1 / -1; font-size: 1.05rem; }
ul.articles .snippet { grid-column: 1 / -1; margin: .2rem 0 0; color: var(--muted); font-size: .95rem; }
mark { background: var(--mark); color: inherit; padding: 0 .1em; border-radius: 2px; }
table.sources { width: 100%; border-collapse: collapse; font-size: .95rem; }
table.sources th, table.sources td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
table.sources td.num { text-align: right; font-variant-numeric: tabular-nums; }
.health { font-size: .82rem; padding: .05rem .45rem; border-radius: 99px; border: 1px solid currentColor; white-space: nowrap; }
.health-ok { color: var(--ok); } .health-stale, .health-never { color: var(--warn); } .health-disabled { color: var(--muted); } .health-failing { color: var(--bad); }
.body { font-size: 1.08rem; line-height: 1.9; overflow-wrap: anywhere; }
.body img, .body video { max-width: 100%; height: auto; display: block; margin: 1rem auto; border-radius: 4px; }
.body iframe { max-width: 100%; border: 0; }
.body figure { margin: 1.2rem 0; }
.body figcaption { color: var(--muted); font-size: .9rem; text-align: center; }
.body blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
.body pre { overflow-x: auto; }
.body table { border-collapse: collapse; display: block; overflow-x: auto; }
.body td, .body th { border: 1px solid var(--line); padding: .3rem .5rem; }
.remote-media { font-size: .9rem; }
dl.times { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 1.5rem; font-size: .92rem; color: var(--muted); }
dl.times dt { font-weight: 600; } dl.times dd { margin: 0; overflow-wrap: anywhere; }
.meta { overflow-wrap: anywhere; }
.notice { border: 1px solid var(--line); background: var(--card); padding: .6rem 1rem; border-radius: 6px; }
.removal { border-left: 4px solid #b3261e; margin: 0 0 1rem; } .removal ul { padding-left: 1.2rem; font-size: .9rem; } .removal li, .removal code { overflow-wrap: anywhere; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: 0 0 1rem; }
form.filters label { display: flex; flex-direction: column; gap: .2rem; font-size: .9rem; color: var(--muted); }
form.filters input, form.filters select, form.filters button { height: 2.5rem; }
form.filters .q { flex: 1 1 100%; }
nav.pager { display: flex; justify-content: space-between; margin-top: 1.5rem; }
.diff-pick { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .6rem 0; }
.diff-pick label { display: flex; flex-direction: column; gap: .2rem; flex: 1 1 13rem; font-size: .9rem; color: var(--muted); }
.diff-pick select { width: 100%; font-size: .92rem; padding-left: .4rem; padding-right: .4rem; }
.diff-pick select, .diff-pick button { height: 2.5rem; }
.diff-modes { margin: .4rem 0; font-size: .95rem; }
.diff-modes [aria-current] { font-weight: 700; color: var(--fg); text-decoration: none; }
.diff-summary { color: var(--muted); font-size: .95rem; }
.diff, .diff-title { --del-bg: #fde2e1; --del-fg: #8a1c17; --ins-bg: #dcf3df; --ins-fg: #14532d; }
@media (prefers-color-scheme: dark) { .diff, .diff-title { --del-bg: #4a1d1b; --del-fg: #ffb4ab; --ins-bg: #173d24; --ins-fg: #b4ecc0; } }
.diff { font-size: 1.05rem; line-height: 1.9; overflow-wrap: anywhere; }
.diff p { margin: .5rem 0; }
.diff del, .diff-title del { background: var(--del-bg); color: var(--del-fg); text-decoration: line-through; text-decoration-thickness: 1px; border-radius: 2px; padding: 0 .05em; }
.diff ins, .diff-title ins { background: var(--ins-bg); color: var(--ins-fg); text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: .25em; border-radius: 2px; padding: 0 .05em; }
/* Screen readers do not announce del and ins; these hidden words do (the visible marking is colour plus strike or underline). */
.diff del::before, .diff del::after, .diff ins::before, .diff ins::after, .diff-title del::before, .diff-title del::after, .diff-title ins::before, .diff-title ins::after { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(100%); white-space: nowrap; }
.diff del::before, .diff-title del::before { content: " [删除："; } .diff ins::before, .diff-title ins::before { content: " [新增："; }
.diff del::after, .diff ins::after, .diff-title del::after, .diff-title ins::after { content: "] "; }
.diff .d-h { font-weight: 700; }
.diff .d-li::before { content: "• "; color: var(--muted); }
.diff .d-q { border-left: 4px solid var(--line); padding-left: .8rem; color: var(--muted); }
.diff .d-pre { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .92rem; }
.diff .d-cap, .diff .d-media { color: var(--muted); font-size: .9rem; }
.diff-title { font-size: 1.15rem; font-weight: 600; }
details.d-fold { margin: .5rem 0; padding: .2rem .7rem; border: 1px dashed var(--line); border-radius: 6px; }
details.d-fold summary { color: var(--muted); cursor: pointer; font-size: .92rem; }
body:has(table.diff-side) .wrap { max-width: 72rem; }
table.diff-side { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.diff-side th { text-align: left; font-size: .88rem; color: var(--muted); font-weight: 600; padding: .3rem .6rem; border-bottom: 1px solid var(--line); }
table.diff-side td { vertical-align: top; padding: 0 .6rem; border-bottom: 1px solid var(--line); }
table.diff-side td:empty { background: var(--card); }
table.diff-side td + td { border-left: 1px solid var(--line); }
footer.site { border-top: 1px solid var(--line); padding: 1rem 0 2rem; color: var(--muted); font-size: .88rem; }
footer.site a { color: var(--muted); }
@media (max-width: 34rem) {
  body { font-size: 16px; }
  h1 { font-size: 1.35rem; }
  ul.articles li { grid-template-columns: 1fr; }
  ul.articles .title { grid-column: 1; }
  table.sources .opt { display: none; }
  table.diff-side, table.diff-side tbody, table.diff-side tr, table.diff-side td { display: block; width: 100%; }
  table.diff-side thead { display: none; }
  table.diff-side td { border-left: 0 !important; border-bottom: 0; padding: 0; }
  table.diff-side tr { border-bottom: 1px solid var(--line); padding: .2rem 0; }
  table.diff-side td:empty, table.diff-side tr.d-equal td:first-child { display: none; }
  table.diff-side tr:not(.d-equal):not(.d-folded) td::before { content: attr(data-side); display: block; color: var(--muted); font-size: .8rem; margin-top: .3rem; }
}
`;

/** APP_CSS_VERSION fingerprints the stylesheet so its URL can be cached forever. */
export const APP_CSS_VERSION = createHash('sha256').update(APP_CSS).digest('hex').slice(0, 12);

/** ICON_SVG is the site icon (served, so the browser does not ask for a missing /favicon.ico). */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#a4262c"/><path d="M9 24V8h3l8 11V8h3v16h-3l-8-11v11z" fill="#fff"/></svg>';
