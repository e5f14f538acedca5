import { z } from 'zod';
import { LIMITS } from '../core/model/index.js';
import { DEFAULT_CONFIRM_HOURS, DEFAULT_RECHECK_SCHEDULE, parseDuration } from '../core/recheck/schedule.js';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isEncodingLabel(value: string): boolean {
  try {
    new TextDecoder(value);
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.string().refine(isHttpUrl, { message: 'not an absolute http(s) URL' });

const proxyUrl = z.string().refine(
  (value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'not an http(s) proxy URL (http://host:port)' },
);

// The reader's cross-source feeds live at /feeds/<name>.xml: a source with one of these ids would lose its own feed.
const RESERVED_SOURCE_IDS = ['changes', 'removed'];

/** SOURCE_SCHEMA is one entry of the source catalog: the only table of sources there is. */
export const SOURCE_SCHEMA = z
  .strictObject({
    id: z
      .string()
      .regex(SLUG, { message: 'not a slug: use lower-case ASCII letters, digits, - and _ (max 63)' })
      .refine((id) => !RESERVED_SOURCE_IDS.includes(id), { message: `reserved for the reader's own feeds (${RESERVED_SOURCE_IDS.join(', ')}): choose another id` }),
    name: z.string().min(1, { message: 'must not be empty' }),
    url: httpUrl,
    enabled: z.boolean().default(true),
    /** WHATWG encoding label that overrides what the server and document declare. */
    encoding: z.string().refine(isEncodingLabel, { message: 'not a known character encoding label' }).optional(),
    guidPolicy: z.enum(['auto', 'url', 'guid']).default('auto'),
    fulltext: z.enum(['feed', 'page', 'auto']).default('auto'),
    /** Base check interval; the scheduler adapts around it. Fractions allowed (0.05 = 3 s, for tests). */
    intervalMinutes: z.number().min(0.05).max(10_080).default(60),
    /** Referer sent with image requests for hotlink-protected hosts. */
    referer: httpUrl.optional(),
  });

/** NETWORK_SCHEMA holds the fetcher's politeness and safety settings. */
export const NETWORK_SCHEMA = z
  .strictObject({
    userAgent: z.string().min(1).default('newsmirror/0.1 (+https://github.com/newsmirror/newsmirror)'),
    proxy: proxyUrl.optional(),
    timeoutSeconds: z.number().positive().max(600).default(30),
    concurrency: z.number().int().min(1).max(256).default(8),
    perHost: z.number().int().min(1).max(64).default(2),
    allowPrivateNetworks: z.boolean().default(false),
    maxBytes: z.number().int().min(1024).default(20_000_000),
    retries: z.number().int().min(0).max(10).default(2),
  });

/** MEDIA_SCHEMA says whether and where article images are mirrored. */
export const MEDIA_SCHEMA = z.strictObject({
  enabled: z.boolean().default(true),
  /** Folder holding `media/`; default the archive itself. Another folder (a second git repository) keeps a text-only clone small. */
  dir: z.string().min(1).optional(),
  /** How article files link to that folder when it is not inside the archive: a relative path or an absolute URL prefix. */
  linkBase: z.string().optional(),
  maxImageBytes: z.number().int().min(1024).default(10 * 1024 * 1024),
  maxArticleBytes: z.number().int().min(1024).default(50 * 1024 * 1024),
  /** Time allowed for one image; the client's retries do not apply (a later run retries instead). */
  timeoutSeconds: z.number().positive().max(600).default(10),
  /** Consecutive timeouts or failed connections after which an image host is not tried again in this run. */
  breakerFailures: z.number().int().min(1).max(1000).default(3),
  /** Longest wait for images at the end of a `sync` or a `run` round; the rest is retried by a later run. */
  drainSeconds: z.number().min(0.1).max(3600).default(30),
});

/** SCHEDULE_SCHEMA bounds the adaptive scheduler of `newsmirror run`. */
export const SCHEDULE_SCHEMA = z.strictObject({
  /** Never check a source more often than this (unless its own intervalMinutes is shorter). */
  minIntervalMinutes: z.number().min(0.001).default(10),
  /** Never wait longer than this between checks of a healthy source. */
  maxIntervalMinutes: z.number().min(0.01).default(1440),
  /** How often `run` looks for due sources. */
  tickSeconds: z.number().min(0.1).max(3600).default(30),
});

/** LIMITS_SCHEMA overrides the caps that keep one bad item small (defaults in core/model/limits.ts). */
export const LIMITS_SCHEMA = z.strictObject({
  /** Characters of an article title; longer titles are cut with an ellipsis and a warning. */
  titleChars: z.number().int().min(10).max(100_000).default(LIMITS.titleChars),
  /** Items kept of one feed, the newest first; the rest are left out with a warning. */
  itemsPerFeed: z.number().int().min(1).max(1_000_000).default(LIMITS.itemsPerFeed),
});

// A re-check schedule: durations after first sight (`1h`, `6h`, `3d`), strictly ascending.
const recheckSchedule = z
  .array(z.string().refine((text) => parseDuration(text) !== undefined, { message: 'not a duration: a number and m, h or d (e.g. 6h, 3d)' }))
  .min(1)
  .max(50)
  .refine((steps) => steps.every((step, index) => index === 0 || (parseDuration(step) ?? 0) > (parseDuration(steps[index - 1] as string) ?? 0)), {
    message: 'steps must grow: each later than the one before',
  });

/** RECHECK_SCHEMA says when archived articles' pages are looked at again, and what confirms a removal. */
export const RECHECK_SCHEMA = z.strictObject({
  /** Whether `run` re-checks between feed syncs (`newsmirror recheck` always can). */
  enabled: z.boolean().default(true),
  /** Times after first sight at which an article's page is fetched again. */
  schedule: recheckSchedule.default([...DEFAULT_RECHECK_SCHEDULE]),
  /** Least time between the two gone checks that confirm a removal. */
  confirmHours: z.number().min(0).max(8760).default(DEFAULT_CONFIRM_HOURS),
  /** Most pages one pass checks; the rest stay due for the next pass. */
  perPass: z.number().int().min(1).max(1_000_000).default(500),
  /** Pages one pass fetches at once (the network section's per-host bound applies too). */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Per-source overrides of the schedule and the confirmation time. */
  sources: z
    .record(
      z.string().regex(SLUG, { message: 'not a source id' }),
      z.strictObject({ enabled: z.boolean().optional(), schedule: recheckSchedule.optional(), confirmHours: z.number().min(0).max(8760).optional() }),
    )
    .default({}),
});

/** SERVER_SCHEMA configures the web reader of `serve` and `run`. */
export const SERVER_SCHEMA = z.strictObject({
  enabled: z.boolean().default(true),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8080),
  /** Public base URL for absolute links in republished feeds (default: the request's origin). */
  publicBaseUrl: httpUrl.optional(),
});

/** WORKERS_SCHEMA configures the `worker` and `archiver` roles (and `run` on PostgreSQL). */
export const WORKERS_SCHEMA = z.strictObject({
  /**
   * How long a worker's claim on a source lasts; renewed while its sync runs. A killed worker's
   * sources are taken over by another worker after at most this long.
   */
  leaseSeconds: z.number().min(1).max(86_400).default(300),
  /** How often an idle worker looks for due sources and the archiver for pending files. */
  pollSeconds: z.number().min(0.05).max(3600).default(5),
});

/** SITE_SCHEMA says where `publish` exports the static site and which branch of the remotes it goes to. */
export const SITE_SCHEMA = z.strictObject({
  /** Branch of every remote that `publish` pushes the static site to (e.g. `gh-pages`); unset, the site is not published. */
  branch: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { message: 'not a git branch name' })
    .refine((name) => !name.includes('..') && !name.endsWith('.lock') && !name.endsWith('/'), { message: 'not a git branch name' })
    .optional(),
  /** Folder the site is exported to and committed from: its own git repository, outside the archive. */
  dir: z.string().min(1).default('./site'),
});

/** CONFIG_SCHEMA is the whole configuration file. */
export const CONFIG_SCHEMA = z
  .strictObject({
    archive: z.string().min(1).default('./archive'),
    database: z.string().min(1).default('./newsmirror.db'),
    timezone: z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. Asia/Shanghai)' }).default('Asia/Shanghai'),
    network: NETWORK_SCHEMA.prefault({}),
    media: MEDIA_SCHEMA.prefault({}),
    schedule: SCHEDULE_SCHEMA.prefault({}),
    limits: LIMITS_SCHEMA.prefault({}),
    recheck: RECHECK_SCHEMA.prefault({}),
    server: SERVER_SCHEMA.prefault({}),
    workers: WORKERS_SCHEMA.prefault({}),
    site: SITE_SCHEMA.prefault({}),
    sources: z.array(SOURCE_SCHEMA).default([]),
    remotes: z
      .array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'not a git remote name' }), url: z.string().min(1) }))
      .default([]),
    author: z
      .strictObject({ name: z.string().min(1), email: z.string().min(3) })
      .prefault({ name: 'newsmirror', email: 'newsmirror@localhost' }),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.sources.forEach((source, index) => {
      const first = seen.get(source.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sources', index, 'id'], message: `duplicate source id "${source.id}" (also sources[${first}])` });
      } else {
        seen.set(source.id, index);
      }
    });
    // The archive is committed to `main`: the site on that branch would replace it.
    if (config.site.branch === 'main') ctx.addIssue({ code: 'custom', path: ['site', 'branch'], message: 'the archive is published to "main"; choose another branch for the site (e.g. gh-pages)' });
    const remotes = new Set<string>();
    config.remotes.forEach((remote, index) => {
      if (remotes.has(remote.name)) ctx.addIssue({ code: 'custom', path: ['remotes', index, 'name'], message: `duplicate remote name "${remote.name}"` });
      remotes.add(remote.name);
    });
  });

/** Config is the validated configuration with every default filled in. */
export type Config = z.output<typeof CONFIG_SCHEMA>;
/** SourceConfig is one validated source of the catalog. */
export type SourceConfig = z.output<typeof SOURCE_SCHEMA>;
/** MediaConfig is the validated `media` section. */
export type MediaConfig = z.output<typeof MEDIA_SCHEMA>;
/** RecheckConfig is the validated `recheck` section. */
export type RecheckConfig = z.output<typeof RECHECK_SCHEMA>;
/** SiteConfig is the validated `site` section. */
export type SiteConfig = z.output<typeof SITE_SCHEMA>;
/** NetworkConfig is the validated `network` section. */
export type NetworkConfig = z.output<typeof NETWORK_SCHEMA>;
