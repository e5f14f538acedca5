import { NewsmirrorError } from '../../core/errors.js';
import type { Config } from '../../config/index.js';
import { parseDateBound } from '../../web/params.js';
import type { CommandArgs } from '../io.js';

/** ExportSelection is the articles an export chooses: some sources, a range of publication times. */
export interface ExportSelection {
  sourceIds?: string[];
  from?: number;
  to?: number;
}

/**
 * readExportSelection reads `--source ID…`, `--from DATE` and `--to DATE` of export-site and
 * export-epub: an unknown source or a reversed range is a usage error.
 */
export function readExportSelection(args: CommandArgs, config: Config): ExportSelection {
  const known = new Set(config.sources.map((source) => source.id));
  for (const id of args.sources) {
    if (!known.has(id)) throw new NewsmirrorError('usage', 'cli', `unknown source "${id}"`);
  }
  const bound = (name: 'from' | 'to'): number | undefined => {
    const raw = args.flags[name];
    return typeof raw === 'string' ? parseDateBound(raw, name, config.timezone) : undefined;
  };
  const from = bound('from');
  const to = bound('to');
  if (from !== undefined && to !== undefined && from >= to) throw new NewsmirrorError('usage', 'cli', '--from must be before --to');
  return { sourceIds: args.sources.length > 0 ? args.sources : undefined, from, to };
}
