/**
 * Feed dates to epoch milliseconds. Accepted, besides the standard forms (RFC 822/1123/2822 with
 * named or numeric zones, ISO 8601 / RFC 3339 with or without seconds, fraction or zone):
 * - a missing zone means UTC (never the machine's zone, so the result does not depend on where we
 *   run), except for Chinese forms (`2023年10月20日 11:51`), which mean Beijing time (+08:00);
 * - two-digit years (00–49 → 20xx, 50–99 → 19xx, as RFC 2822 says);
 * - a missing or wrong weekday (it is ignored), extra spaces, `-` or `/` or `.` between date parts;
 * - `CST` is US Central (RFC 822), not China Standard Time;
 * - Korean forms mean KST (+09:00); German, French, Portuguese, Spanish, Italian, Dutch, Greek and
 *   Hungarian month names are understood (weekday names of any language are skipped).
 * Anything else gives undefined rather than a guess; Date.parse is not used since it reads the
 * machine's zone.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  // Greek (feeds from .gr sites) and Hungarian month names.
  ιαν: 1, φεβ: 2, μάρ: 3, μαρ: 3, απρ: 4, μάι: 5, μαϊ: 5, μαι: 5, ιούν: 6, ιουν: 6, ιον: 6, ιούλ: 7, ιουλ: 7, ιολ: 7,
  αύγ: 8, αυγ: 8, σεπ: 9, οκτ: 10, νοέ: 11, νοε: 11, δεκ: 12,
  január: 1, február: 2, március: 3, április: 4, május: 5, június: 6, július: 7, augusztus: 8,
  szeptember: 9, október: 10, november: 11, december: 12,
  // Portuguese, Spanish, Italian, Dutch abbreviations that differ from the English ones.
  fev: 2, abr: 4, ago: 8, set: 9, out: 10, ene: 1, dic: 12, gen: 1, mag: 5, giu: 6, lug: 7, ott: 10, mrt: 3, mei: 5,
  sept: 9, mär: 3, mrz: 3, mai: 5, okt: 10, dez: 12, janv: 1, févr: 2, fevr: 2, avr: 4, juin: 6, juil: 7, août: 8, aout: 8, déc: 12,
};

// Offsets in minutes east of UTC.
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  bst: 60, cet: 60, cest: 120, met: 60, mest: 120, west: 60, eet: 120, eest: 180, msk: 180,
  et: -300, ct: -360, mt: -420, pt: -480,
  ist: 330, hkt: 480, sgt: 480, awst: 480, jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const ZONE = String.raw`(Z|[A-Za-z]{1,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}(?::?\d{2})?)`;
const NUMERIC = new RegExp(
  String.raw`^(?:[A-Za-z]+,?\s+)?(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?(?:(?:T|\s+|T\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*${ZONE}?$`,
  'i',
);
const COMPACT = new RegExp(String.raw`^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?\s*${ZONE}?$`, 'i');
const CHINESE = new RegExp(
  String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[^\d\s]{0,3}\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?\s*${ZONE}?$`,
);
// Korean blog platforms: OnBlog `2004년 05월 28일 01:31:15`, Nate `2004-05-25 오후 11:23:17` (KST).
const KOREAN = /^(\d{4})(?:년|-)\s*(\d{1,2})(?:월|-)\s*(\d{1,2})일?\s+(?:(오전|오후)\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const MONTH_NAME_ISO = new RegExp(
  String.raw`^(\d{4})-([^\d\s-]+)-(\d{1,2})(?:T(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*${ZONE}?$`,
);
const DAY_FIRST = new RegExp(
  String.raw`^(?:[^\d\s,]+\.?,?\s*)?(\d{1,2})[\s-]+([^\d\s,.-]+)\.?,?[\s-]+(\d{2,4}),?(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?\s*${ZONE}?(?:\s*\(.*\))?$`,
);
const MONTH_FIRST = new RegExp(
  String.raw`^(?:[^\d\s,]+\.?,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*)?(?:(\d{4})\s*)?${ZONE}?(?:\s+(\d{4}))?(?:\s*\(.*\))?$`,
);

/** parseDate turns a feed date string into epoch ms, or undefined when it is not a date. */
export function parseDate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return undefined;
  if (/^\d{4}$/.test(value)) return build(+value, 1, 1, undefined, undefined, undefined, undefined, undefined, 0);
  let m = NUMERIC.exec(value);
  if (m) {
    return build(+(m[1] as string), +(m[3] as string), m[4] === undefined ? 1 : +m[4], m[5], m[6], m[7], m[8], m[9], 0);
  }
  m = CHINESE.exec(value);
  if (m) return build(+(m[1] as string), +(m[2] as string), +(m[3] as string), m[4], m[5], m[6], undefined, m[7], 480);
  m = KOREAN.exec(value);
  if (m) {
    let hour = +(m[5] as string);
    if (m[4] === '오후' && hour < 12) hour += 12;
    if (m[4] === '오전' && hour === 12) hour = 0;
    return build(+(m[1] as string), +(m[2] as string), +(m[3] as string), String(hour), m[6], m[7], undefined, undefined, 540);
  }
  m = MONTH_NAME_ISO.exec(value);
  if (m) {
    const month = monthNumber(m[2] as string);
    if (month === undefined) return undefined;
    return build(+(m[1] as string), month, +(m[3] as string), m[4], m[5], m[6], undefined, m[7], 0);
  }
  m = COMPACT.exec(value);
  if (m) return build(+(m[1] as string), +(m[2] as string), +(m[3] as string), m[4], m[5], m[6], undefined, m[7], 0);
  m = DAY_FIRST.exec(value);
  if (m) {
    const month = monthNumber(m[2] as string);
    if (month === undefined) return undefined;
    return build(fullYear(m[3] as string), month, +(m[1] as string), m[4], m[5], m[6], m[7], m[8], 0);
  }
  m = MONTH_FIRST.exec(value);
  if (m) {
    const month = monthNumber(m[1] as string);
    const year = m[3] ?? m[7] ?? m[9];
    if (month === undefined || year === undefined) return undefined;
    return build(+year, month, +(m[2] as string), m[4], m[5], m[6], undefined, m[8], 0);
  }
  return undefined;
}

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  return MONTHS[lower] ?? MONTHS[lower.slice(0, 4)] ?? MONTHS[lower.slice(0, 3)] ?? MONTHS[lower.normalize('NFD').replace(/\p{M}/gu, '').slice(0, 3)];
}

function fullYear(text: string): number {
  const year = +text;
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  if (text.length === 3) return 1900 + year;
  return year;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
  defaultOffset: number,
): number | undefined {
  const h = hour === undefined ? 0 : +hour;
  const min = minute === undefined ? 0 : +minute;
  const s = second === undefined ? 0 : Math.min(+second, 59);
  if (month < 1 || month > 12 || day < 1 || day > 31 || h > 24 || min > 59 || s > 60) return undefined;
  const offset = zone === undefined ? defaultOffset : zoneOffset(zone);
  if (offset === undefined) return undefined;
  if (h === 24 && (min > 0 || s > 0)) return undefined;
  // Date.UTC rolls 30 February over into March; a date that does not exist is no date.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = fraction === undefined ? 0 : Math.round(+`0.${fraction}` * 1000);
  const time = Date.UTC(year, month - 1, day, h, min, s, ms) - offset * 60_000;
  return Number.isFinite(time) ? time : undefined;
}

function zoneOffset(zone: string): number | undefined {
  const compact = zone.replace(/\s+/g, '').toLowerCase();
  const numeric = /^([a-z]*)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(compact);
  if (numeric) {
    if (numeric[1] && ZONES[numeric[1]] === undefined) return undefined;
    const base = numeric[1] ? (ZONES[numeric[1]] as number) : 0;
    const hours = +(numeric[3] as string);
    const minutes = numeric[4] === undefined ? 0 : +numeric[4];
    if (hours > 14 || minutes > 59) return undefined;
    return base + (numeric[2] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const named = ZONES[compact];
  if (named !== undefined) return named;
  // RFC 2822 §4.3: unknown alphabetic zones (military letters included) are treated as UTC.
  return /^[a-z]{1,5}$/.test(compact) ? 0 : undefined;
}
