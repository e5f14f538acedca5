/**
 * Builders of duty-machine archives for the import tests and the benchmark: the original's file text
 * from a corpus row, and real git repositories whose history replays a list of commits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { testGitEnv } from './git.js';

/** DutyMachineRow is the part of a corpus row (articles.jsonl, article_versions.jsonl) a file is rebuilt from. */
export interface DutyMachineRow {
  source: string;
  path: string;
  pubDate: number | null;
  title: string | null;
  link: string | null;
  html: string;
  flags?: string[] | null;
}

/**
 * dutyMachineText rebuilds the original file of a row as the corpus README describes it: the header
 * when the row has a date, the title line, the rule, the body. A row whose title line the corpus could
 * not split keeps that line inside `html`.
 */
export function dutyMachineText(row: DutyMachineRow): string {
  const header = row.pubDate === null ? '' : `<!--${row.pubDate}-->\n`;
  if (row.flags?.includes('malformed_title_line')) return `${header}${row.html}\n`;
  const gap = row.pubDate === null ? '' : '\n';
  return `${header}[${row.title ?? ''}](${row.link ?? ''})\n------\n${gap}${row.html}\n`;
}

/** HistoryCommit is one commit of a built history: files written (text) or deleted (null), at a time. */
export interface HistoryCommit {
  /** Epoch ms; the commit's author and committer date. */
  time: number;
  files: Record<string, string | null>;
  message?: string;
}

/** buildHistory creates a git repository at `dir` whose commits replay `commits` in order. */
export function buildHistory(dir: string, commits: HistoryCommit[]): void {
  mkdirSync(dir, { recursive: true });
  const run = (args: string[], env: Record<string, string> = {}): void => {
    execFileSync('git', args, { cwd: dir, env: testGitEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  };
  run(['init', '-q', '-b', 'master']);
  for (const [index, commit] of commits.entries()) {
    for (const [path, text] of Object.entries(commit.files)) {
      const file = join(dir, path);
      if (text === null) {
        rmSync(file, { force: true });
        continue;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    run(['add', '-A']);
    const date = `${Math.floor(commit.time / 1000)} +0000`;
    run(['commit', '-q', '--allow-empty', '-m', commit.message ?? `update ${index}`], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  }
}
