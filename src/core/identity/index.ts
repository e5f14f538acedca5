export { canonicalizeUrl, TRACKING_PARAMS, TRACKING_PARAM_PREFIXES } from './url.js';
export { planIdentity, articleId, contentHash, identityOfEntry } from './plan.js';
export type { EntryIdentity, IdentityPlan, IdentifiedEntry, DuplicateEntry, KeyKind, PlanIdentityOptions } from './plan.js';
export { sha256Hex } from './hash.js';
