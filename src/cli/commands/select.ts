import type { Config, SourceConfig } from '../../config/index.js';
import { NewsmirrorError } from '../../core/errors.js';

/** selectSources returns the enabled sources, or exactly the named ones (unknown ids are an error). */
export function selectSources(config: Config, ids: string[]): SourceConfig[] {
  if (ids.length === 0) return config.sources.filter((source) => source.enabled);
  const unknown = ids.filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new NewsmirrorError('usage', 'cli', `unknown source id(s): ${unknown.join(', ')}`, {
      hint: `known: ${config.sources.map((source) => source.id).join(', ')}`,
    });
  }
  return config.sources.filter((source) => ids.includes(source.id));
}
