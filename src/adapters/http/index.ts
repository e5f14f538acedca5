export { DEFAULT_USER_AGENT, createHttpClient, type HttpClientOptions } from './client.js';
export { isChallengePage } from './challenge.js';
export { isPrivateAddress, type Resolver } from './address.js';
