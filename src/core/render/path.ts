import { NewsmirrorError } from '../errors.js';

/** SAFE_ID is the only charset allowed in path segments built from ids, so no path can leave the archive. */
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

/** MONTH is a list month key, `YYYY-MM`. */
const MONTH = /^(\d{4})-(\d{2})$/;

/** ZonedTime is a wall-clock reading of an instant in one time zone. */
export interface ZonedTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// Formatter construction is slow (tens of µs) and a sync formats every article, so keep one per zone.
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch (cause) {
      throw new NewsmirrorError('config-invalid', 'archive', `unknown time zone ${JSON.stringify(timeZone)}`, {
        cause,
        hint: 'use an IANA zone name such as Asia/Shanghai',
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// A sync reads each article's few instants many times over (paths, folders, lists, schedule), and
// formatToParts costs microseconds each time: the last readings are kept, a bounded number of them.
const readings = new Map<string, ZonedTime>();
const MAX_READINGS = 4096;

/** zonedTime reads an epoch-ms instant as zero-padded wall-clock fields in an IANA time zone. */
export function zonedTime(epochMs: number, timeZone: string): ZonedTime {
  const key = `${timeZone} ${epochMs}`;
  const known = readings.get(key);
  if (known !== undefined) return { ...known };
  const time = readZonedTime(epochMs, timeZone);
  if (readings.size >= MAX_READINGS) readings.clear();
  readings.set(key, time);
  return { ...time };
}

function readZonedTime(epochMs: number, timeZone: string): ZonedTime {
  if (!Number.isFinite(epochMs)) {
    throw new NewsmirrorError('internal', 'archive', `not a time: ${String(epochMs)}`);
  }
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) fields[part.type] = part.value;
  const year = Number(fields.year);
  // Era-less "en-US" years are positive; years before 1 CE never occur in feeds, so clamp the padding only.
  return {
    year: String(year).padStart(4, '0'),
    month: fields.month ?? '00',
    day: fields.day ?? '00',
    hour: fields.hour === '24' ? '00' : (fields.hour ?? '00'),
    minute: fields.minute ?? '00',
  };
}

/** formatListTime renders an instant as `YYYY-MM-DD HH:mm` in a time zone (lists and README). */
export function formatListTime(epochMs: number, timeZone: string): string {
  const t = zonedTime(epochMs, timeZone);
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}`;
}

/** monthKey is the `YYYY-MM` month of an instant in a time zone, the key of the monthly lists. */
export function monthKey(epochMs: number, timeZone: string): string {
  const t = zonedTime(epochMs, timeZone);
  return `${t.year}-${t.month}`;
}

/**
 * monthRange gives the epoch-ms bounds `[from, to)` of a `YYYY-MM` month in a time zone, so a caller
 * can ask the store for exactly the articles of one monthly list.
 */
export function monthRange(month: string, timeZone: string): { from: number; to: number } {
  const match = MONTH.exec(month);
  if (!match) throw new NewsmirrorError('internal', 'archive', `not a month key: ${JSON.stringify(month)}`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  return {
    from: zonedMidnight(year, monthIndex, 1, timeZone),
    to: zonedMidnight(monthIndex === 11 ? year + 1 : year, (monthIndex + 1) % 12, 1, timeZone),
  };
}

/**
 * zonedMidnight is the instant the zone's wall clock reads 00:00 on a day: a UTC guess corrected by the
 * zone's offset twice (the second pass settles offsets that change near midnight). Day overflow (the
 * 32nd) rolls over into the next month.
 */
export function zonedMidnight(year: number, monthIndex: number, date: number, timeZone: string): number {
  const target = Date.UTC(year, monthIndex, date);
  let guess = target;
  for (let pass = 0; pass < 2; pass++) {
    const t = zonedTime(guess, timeZone);
    const wall = Date.UTC(Number(t.year), Number(t.month) - 1, Number(t.day), Number(t.hour), Number(t.minute));
    guess += target - wall;
  }
  return guess;
}

/** isSafeId tells whether a string may be used as a source id or article id inside archive paths. */
export function isSafeId(value: string): boolean {
  return SAFE_ID.test(value);
}

function requireSafeId(kind: string, value: string): void {
  if (!isSafeId(value)) {
    throw new NewsmirrorError('archive', 'archive', `${kind} ${JSON.stringify(value)} has characters outside [A-Za-z0-9_-]`);
  }
}

/**
 * articlePath is the archive-relative path of an article file:
 * `articles/<source>/<YYYY>/<MM>/<DD>/<HHmm>-<articleId>.md`, date and time of `published` in `timeZone`.
 * `overflow` n > 0 moves the file into `…/<DD>/<n>/` so that no folder grows past 1,000 entries (the
 * caller counts what a day folder already holds). Ids outside `[A-Za-z0-9_-]` throw, so a path can
 * never point outside the archive.
 *
 * @example articlePath('rfi', 1697796901000, 'abcd', 'Asia/Shanghai') // 'articles/rfi/2023/10/20/1815-abcd.md'
 */
export function articlePath(sourceId: string, published: number, articleId: string, timeZone: string, overflow = 0): string {
  requireSafeId('source id', sourceId);
  requireSafeId('article id', articleId);
  if (!Number.isSafeInteger(overflow) || overflow < 0) {
    throw new NewsmirrorError('internal', 'archive', `overflow must be a non-negative integer, got ${String(overflow)}`);
  }
  const t = zonedTime(published, timeZone);
  const day = `articles/${sourceId}/${t.year}/${t.month}/${t.day}`;
  const folder = overflow > 0 ? `${day}/${overflow}` : day;
  return `${folder}/${t.hour}${t.minute}-${articleId}.md`;
}

/**
 * FILES_PER_FOLDER is how many article files one day folder (or one overflow sub-folder) takes: under
 * 1,000 with room left for the numbered sub-folders themselves (GitHub's file view stops listing at 1,000).
 */
export const FILES_PER_FOLDER = 900;

/** articleDayFolder is the day folder of an article, `articles/<source>/<YYYY>/<MM>/<DD>`, whose count picks the overflow. */
export function articleDayFolder(sourceId: string, published: number, timeZone: string): string {
  requireSafeId('source id', sourceId);
  const t = zonedTime(published, timeZone);
  return `articles/${sourceId}/${t.year}/${t.month}/${t.day}`;
}

/**
 * overflowFor turns the number of article paths already allocated under a day folder (sub-folders
 * included) into the `overflow` argument of articlePath: 0 for the first FILES_PER_FOLDER, then 1, 2…
 */
export function overflowFor(pathsUnderDay: number): number {
  return Math.floor(Math.max(0, pathsUnderDay) / FILES_PER_FOLDER);
}

/** listPath is the archive-relative path of a source's list of its newest articles. */
export function listPath(sourceId: string): string {
  requireSafeId('source id', sourceId);
  return `lists/${sourceId}.md`;
}

/** monthListPath is the archive-relative path of a source's list for one `YYYY-MM` month. */
export function monthListPath(sourceId: string, month: string): string {
  requireSafeId('source id', sourceId);
  if (!MONTH.test(month)) throw new NewsmirrorError('internal', 'archive', `not a month key: ${JSON.stringify(month)}`);
  return `lists/${sourceId}/${month}.md`;
}

/** monthOfArticlePath reads the `YYYY-MM` folder month from an article path (the path never moves, even when the date is edited). */
export function monthOfArticlePath(path: string): string | undefined {
  const match = /^articles\/[A-Za-z0-9_-]+\/(\d{4})\/(\d{2})\//.exec(path);
  return match ? `${match[1]}-${match[2]}` : undefined;
}

/**
 * relativeLink turns an archive-relative target path into a link relative to the folder of an
 * archive-relative file, percent-encoding each segment, so it works both on GitHub and in a clone.
 */
export function relativeLink(fromFile: string, target: string): string {
  const fromParts = fromFile.split('/').slice(0, -1);
  const targetParts = target.split('/');
  let common = 0;
  while (common < fromParts.length && common < targetParts.length - 1 && fromParts[common] === targetParts[common]) common++;
  const ups = fromParts.length - common;
  const rest = targetParts.slice(common).map(encodePathSegment);
  return [...Array<string>(ups).fill('..'), ...rest].join('/');
}

// encodeURIComponent leaves `(` `)` `'` `!` `*` alone, and a `)` would end a Markdown link early.
function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
