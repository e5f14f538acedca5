/** web: the reader (pages, JSON API, republished feeds, health, media) and its HTTP server. */
export { createWebApp, CONTENT_SECURITY_POLICY } from './app.js';
export type { WebAppDeps, WebSource, HealthStatus } from './context.js';
export { startWebServer } from './server.js';
export type { RunningServer } from './server.js';
export { toApiSearchResult } from './search-json.js';
export type { ApiSearchResult } from './search-json.js';
export { parseQuery } from './params.js';
