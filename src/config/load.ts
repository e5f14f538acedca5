import { isAbsolute, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { NewsmirrorError, classifyEnvironmentError, errorMessage } from '../core/errors.js';
import { CONFIG_SCHEMA, type Config } from './schema.js';

const MAX_ALIASES = 100;

/** ConfigResult is either the config or every problem found, each with its path. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/**
 * parseConfig validates a configuration file's text and returns the config or every error at once,
 * each as `path: message` (e.g. `sources[2].url: not an absolute http(s) URL`). Pure: no file access.
 */
export function parseConfig(text: string): ConfigResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `line ${line}, column ${col}: ${error.message.split('\n')[0]}`;
      }),
    };
  }
  let data: unknown;
  try {
    // The yaml default (100 aliases) also stops a "billion laughs" alias bomb; a real config has none.
    data = document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    return { ok: false, errors: [`(document): ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = CONFIG_SCHEMA.safeParse(data);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map(formatIssue) };
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  return `${path || '(top level)'}: ${message}`;
}

/** formatPath renders a schema path as `sources[2].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * resolveConfigPaths makes `archive`, `site.dir` and a file `database` absolute against the config file's folder,
 * so a config behaves the same from any working directory. A database URL is left as it is: the
 * composition root decides whether a store for it exists.
 */
export function resolveConfigPaths(config: Config, configFile: string): Config {
  const base = dirname(resolve(configFile));
  const database = /^[a-z][a-z0-9+.-]*:\/\//i.test(config.database) || isAbsolute(config.database) ? config.database : resolve(base, config.database);
  const media = config.media.dir === undefined ? config.media : { ...config.media, dir: resolve(base, config.media.dir) };
  return { ...config, archive: resolve(base, config.archive), database, media, site: { ...config.site, dir: resolve(base, config.site.dir) } };
}

/** readConfig loads, validates and resolves a config file; it throws one error listing every problem. */
export async function readConfig(file: string): Promise<Config> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const missing = (cause as { code?: unknown }).code === 'ENOENT';
    throw new NewsmirrorError('config-invalid', 'config', `cannot read ${file}: ${missing ? 'no such file' : (classifyEnvironmentError(cause)?.reason ?? errorMessage(cause))}`, {
      cause,
      hint: missing ? 'create one with `newsmirror init` or pass --config FILE' : 'make the config file readable by the user running newsmirror',
    });
  }
  const result = parseConfig(text);
  if (!result.ok) {
    throw new NewsmirrorError('config-invalid', 'config', `${file} is invalid:\n  ${result.errors.join('\n  ')}`);
  }
  return resolveConfigPaths(result.config, file);
}
