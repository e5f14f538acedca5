export { CONFIG_SCHEMA, SOURCE_SCHEMA, NETWORK_SCHEMA, type Config, type SourceConfig, type NetworkConfig, type MediaConfig, MEDIA_SCHEMA } from './schema.js';
export { parseConfig, readConfig, resolveConfigPaths, formatPath, type ConfigResult } from './load.js';
export { DEFAULT_CONFIG_YAML } from './template.js';
