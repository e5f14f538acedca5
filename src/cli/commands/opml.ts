import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { NewsmirrorError, publicUrl } from '../../core/errors.js';
import { parseOpml, renderOpml, type OpmlSource } from '../../core/render/index.js';
import { EXIT } from '../exit-codes.js';
import { loadConfig, type Command } from '../io.js';

/**
 * exportOpmlCommand prints the configured sources as OPML 2.0, for any feed reader. The feed URLs
 * are in their public form (no credentials, no token parameters) unless `--with-secrets` asks for
 * them as configured, e.g. to move the subscriptions to a private reader.
 */
export const exportOpmlCommand: Command = {
  summary: 'print the configured sources as OPML (stdout); feed credentials and tokens only with --with-secrets',
  usage: 'newsmirror export-opml [--with-secrets] [--config FILE] > sources.opml',
  async run(args, io) {
    const config = await loadConfig(args);
    const shown = args.flags['with-secrets'] === true ? (url: string) => url : publicUrl;
    io.stdout.write(renderOpml({ title: 'newsmirror sources', sources: config.sources.map(({ id, name, url }) => ({ id, name, url: shown(url) })) }));
    return EXIT.OK;
  },
};

/**
 * importOpmlCommand reads an OPML file and prints the `sources:` entries to add to the config, as
 * YAML. It does not edit the config itself: the file is hand-written and commented, and the new
 * entries usually want a look (names, per-source options) before they go in. Feeds already in the
 * config (same URL) are left out; ids are made unique against the config and each other.
 */
export const importOpmlCommand: Command = {
  summary: 'print the sources of an OPML file as config entries (YAML) to paste under `sources:`',
  usage: 'newsmirror import-opml FILE [--config FILE]',
  async run(args, io) {
    const file = args.positionals[0];
    if (file === undefined || args.positionals.length > 1) throw new NewsmirrorError('usage', 'cli', 'import-opml takes exactly one OPML file');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new NewsmirrorError('usage', 'cli', `cannot read ${file}`, { cause: error });
    }
    const config = await loadConfig(args);
    const known = new Set(config.sources.map((source) => source.url));
    const ids = new Set(config.sources.map((source) => source.id));
    const found = parseOpml(text);
    const fresh = found.filter((source) => /^https?:\/\//i.test(source.url) && !known.has(source.url));
    const entries = fresh.map((source) => {
      const id = uniqueId(sourceIdFor(source), ids);
      ids.add(id);
      return { id, name: source.name, url: source.url };
    });
    io.stderr.write(`import-opml: ${found.length} feeds in ${file}, ${found.length - entries.length} already configured or not http(s), ${entries.length} new\n`);
    if (entries.length > 0) io.stdout.write(`# add under "sources:" in ${args.config}\n${stringify(entries)}`);
    return EXIT.OK;
  },
};

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** sourceIdFor keeps an exported id, or derives one from the feed URL's host and path. */
function sourceIdFor(source: OpmlSource): string {
  if (source.id !== undefined && SLUG.test(source.id)) return source.id;
  let slug = '';
  try {
    const url = new URL(source.url);
    slug = `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\.(?:xml|rss|atom|json)$/i, '')}`;
  } catch {
    slug = source.url;
  }
  slug = slug
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'feed' : slug;
}

function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
