/**
 * Identity: which stored article a feed entry is.
 *
 * An entry's key is one of four kinds, tried in an order set by the source's effective policy:
 * - URL key: the canonical URL of the link (see `canonicalizeUrl`);
 * - GUID key: the canonical URL of the GUID when the GUID is itself an http(s) URL (so a GUID equal
 *   to the link gives the same key under both policies, and a policy change re-keys nothing for
 *   such sources), otherwise `guid:<trimmed guid>`;
 * - enclosure key: the canonical URL of the first http(s) enclosure, for entries with neither a
 *   usable link nor a GUID (podcast feeds such as VOA Special English carry only the audio file,
 *   which is what podcast apps identify an episode by);
 * - hash key: `hash:<contentHash>` when the entry has none of these. Such an entry cannot be
 *   followed across edits; an edited one becomes a new article.
 *
 * Effective policy `url` tries URL, GUID, enclosure, hash; `guid` tries GUID, URL, enclosure, hash.
 *
 * Policy `auto` decides per source and sticks to its decision (the caller stores it in
 * `SourceState.guidPolicy` and passes it back as `previous`), because a key that changes between
 * syncs is a duplicate article:
 * - the feed's GUIDs are trustworthy when every entry has a non-blank GUID and no two entries share
 *   one;
 * - GUIDs are needed when two entries share a canonical URL (a live page, or a feed that links every
 *   item to its home page): with trustworthy GUIDs they are two articles;
 * - `auto` settles on `guid` when the GUIDs are trustworthy and needed, or when `previous` is `guid`
 *   and they are still trustworthy; otherwise it is `url`. So a source falls back to `url` as soon as
 *   its GUIDs come empty or repeated, and URLs stay the key of every source that does not need more.
 *   A switch re-keys only the entries whose GUID is not their link; those are stored once more, which
 *   is the price of not folding distinct articles into one.
 *
 * Two entries with the same key in one feed are one article: the first in feed order is kept (feeds
 * list newest first, so it is the most recent state of the item) and the others are reported as
 * duplicates, never silently dropped.
 */
import type { Entry, GuidPolicy } from '../model/index.js';
import { sha256Hex, sha256HexOfParts } from './hash.js';
import { canonicalizeUrl } from './url.js';

/** KeyKind says what an identity key was derived from. */
export type KeyKind = 'url' | 'guid' | 'enclosure' | 'hash';

/** IdentifiedEntry is a feed entry with its identity settled. */
export interface IdentifiedEntry {
  /** Identity key within the source. */
  key: string;
  keyKind: KeyKind;
  /** `articleId(sourceId, key)`. */
  id: string;
  /**
   * The link resolved against the base URL when it is an http(s) URL, else the GUID when that is
   * an http(s) URL (an RSS permalink GUID), else undefined.
   */
  url?: string;
  /** Canonical form of `url`. */
  canonicalUrl?: string;
  /** The trimmed GUID, when the entry has a non-blank one. */
  guid?: string;
  /** `contentHash(entry)`, the edit detector. */
  contentHash: string;
  /** Position of the entry in the feed. */
  index: number;
  entry: Entry;
}

/** DuplicateEntry is an entry dropped because an earlier entry of the same feed has its key. */
export interface DuplicateEntry {
  index: number;
  key: string;
  /** Index of the entry that was kept. */
  keptIndex: number;
}

/** IdentityPlan is the identity of every entry of one feed document. */
export interface IdentityPlan {
  /** The policy the keys were computed with; store it as `SourceState.guidPolicy`. */
  policy: 'url' | 'guid';
  /** One entry per distinct key, in feed order. */
  entries: IdentifiedEntry[];
  duplicates: DuplicateEntry[];
}

/** PlanIdentityOptions carries what the identity stage needs beyond the entries. */
export interface PlanIdentityOptions {
  /** Base for relative links (the feed's URL after redirects). */
  baseUrl?: string;
  /**
   * What `identityOfEntry` gave for the entries, by index, computed elsewhere (an import computes it
   * on its cleaning thread): used in place of hashing the body and parsing the link again. An entry
   * without one is computed here. Only valid with no `baseUrl`, which it was computed without.
   */
  computed?: readonly (EntryIdentity | undefined)[];
}

/**
 * EntryIdentity is what identity computes of one entry alone, whatever the feed around it: its
 * content hash, and its link's absolute and canonical forms (both undefined when the link is no
 * http(s) URL).
 */
export interface EntryIdentity {
  contentHash: string;
  url?: string;
  canonicalUrl?: string;
}

/**
 * identityOfEntry computes an entry's EntryIdentity from its title, body (content, else summary)
 * and link, as planIdentity does, to be handed to it through `computed`.
 */
export function identityOfEntry(entry: Pick<Entry, 'title' | 'content' | 'summary' | 'link'>, baseUrl?: string): EntryIdentity {
  return { contentHash: contentHash(entry), ...linkForms(entry.link, baseUrl) };
}

// The link's canonical and absolute forms, when it is an http(s) URL.
function linkForms(rawLink: string | undefined, baseUrl: string | undefined): { url?: string; canonicalUrl?: string } {
  const link = rawLink?.trim();
  if (!link) return {};
  const canonicalUrl = canonicalizeUrl(link, baseUrl);
  if (canonicalUrl === undefined) return {};
  return { canonicalUrl, url: baseUrl === undefined ? new URL(link).href : new URL(link, baseUrl).href };
}

/**
 * planIdentity settles the key of every entry of a feed, decides the effective GUID policy (see
 * the module comment) and folds entries sharing a key into the first one.
 *
 * @example
 * const plan = planIdentity('rfi', doc.entries, 'auto', state?.guidPolicy, { baseUrl: response.url });
 */
export function planIdentity(
  sourceId: string,
  entries: readonly Entry[],
  policy: GuidPolicy,
  previous?: 'url' | 'guid',
  options: PlanIdentityOptions = {},
): IdentityPlan {
  const computed = options.baseUrl === undefined ? options.computed : undefined;
  const facts = entries.map((entry, index) => entryFacts(entry, options.baseUrl, computed?.[index]));
  const effective = policy === 'auto' ? decideAutoPolicy(facts, previous) : policy;
  const kept = new Map<string, number>();
  const plan: IdentityPlan = { policy: effective, entries: [], duplicates: [] };
  facts.forEach((fact, index) => {
    const entry = entries[index] as Entry;
    const hash = computed?.[index]?.contentHash ?? contentHash(entry);
    const [keyKind, key] = chooseKey(fact, effective, hash);
    const keptIndex = kept.get(key);
    if (keptIndex !== undefined) {
      plan.duplicates.push({ index, key, keptIndex });
      return;
    }
    kept.set(key, index);
    plan.entries.push({
      key,
      keyKind,
      id: articleId(sourceId, key),
      url: fact.url ?? fact.guidUrl,
      canonicalUrl: fact.canonicalUrl ?? (fact.guidUrl === undefined ? undefined : fact.guidKey),
      guid: fact.guid,
      contentHash: hash,
      index,
      entry,
    });
  });
  return plan;
}

interface EntryFacts {
  url?: string;
  canonicalUrl?: string;
  guid?: string;
  guidKey?: string;
  /** The GUID as an absolute URL, when it is an http(s) URL. */
  guidUrl?: string;
  enclosureKey?: string;
}

function entryFacts(entry: Entry, baseUrl: string | undefined, computed: EntryIdentity | undefined): EntryFacts {
  const facts: EntryFacts = {};
  const { url, canonicalUrl } = computed ?? linkForms(entry.link, baseUrl);
  if (url !== undefined && canonicalUrl !== undefined) {
    facts.canonicalUrl = canonicalUrl;
    facts.url = url;
  }
  const guid = entry.id?.trim();
  if (guid) {
    facts.guid = guid;
    const canonicalGuid = canonicalizeUrl(guid);
    facts.guidKey = canonicalGuid ?? `guid:${guid}`;
    if (canonicalGuid !== undefined) facts.guidUrl = new URL(guid).href;
  }
  for (const enclosure of entry.enclosures) {
    facts.enclosureKey = canonicalizeUrl(enclosure.url, baseUrl);
    if (facts.enclosureKey !== undefined) break;
  }
  return facts;
}

function decideAutoPolicy(facts: readonly EntryFacts[], previous: 'url' | 'guid' | undefined): 'url' | 'guid' {
  if (!guidsTrustworthy(facts)) return 'url';
  if (previous === 'guid') return 'guid';
  return urlsShared(facts) ? 'guid' : 'url';
}

function guidsTrustworthy(facts: readonly EntryFacts[]): boolean {
  if (facts.length === 0) return false;
  const seen = new Set<string>();
  for (const fact of facts) {
    if (fact.guid === undefined || seen.has(fact.guid)) return false;
    seen.add(fact.guid);
  }
  return true;
}

function urlsShared(facts: readonly EntryFacts[]): boolean {
  const seen = new Set<string>();
  for (const fact of facts) {
    if (fact.canonicalUrl === undefined) continue;
    if (seen.has(fact.canonicalUrl)) return true;
    seen.add(fact.canonicalUrl);
  }
  return false;
}

function chooseKey(fact: EntryFacts, policy: 'url' | 'guid', hash: string): [KeyKind, string] {
  const byUrl: [KeyKind, string] | undefined = fact.canonicalUrl === undefined ? undefined : ['url', fact.canonicalUrl];
  const byGuid: [KeyKind, string] | undefined = fact.guidKey === undefined ? undefined : ['guid', fact.guidKey];
  const first = policy === 'url' ? (byUrl ?? byGuid) : (byGuid ?? byUrl);
  if (first !== undefined) return first;
  return fact.enclosureKey === undefined ? ['hash', `hash:${hash}`] : ['enclosure', fact.enclosureKey];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * articleId returns the stable id of an article: the first 80 bits of sha256(`${sourceId}\n${key}`)
 * as 16 lower-case base32 characters ([a-z2-7]). Derived from identity alone, never from a counter.
 */
export function articleId(sourceId: string, key: string): string {
  const hex = sha256Hex(`${sourceId}\n${key}`);
  let id = '';
  // 16 characters × 5 bits = 80 bits = the first 20 hex digits.
  let bits = 0;
  let value = 0;
  for (let i = 0; id.length < 16; i++) {
    value = (value << 4) | Number.parseInt(hex[i] as string, 16);
    bits += 4;
    if (bits >= 5) {
      bits -= 5;
      id += BASE32[(value >> bits) & 31];
      value &= (1 << bits) - 1;
    }
  }
  return id;
}

/**
 * contentHash returns the sha256 hex of an entry's title and body (content, else summary) as
 * received, with whitespace normalised (runs collapsed, none between tags, trimmed) so that a
 * re-indented feed is not mistaken for an edit.
 */
export function contentHash(entry: Pick<Entry, 'title' | 'content' | 'summary'>): string {
  const title = normalizeWhitespace(entry.title ?? '');
  const body = normalizeWhitespace(entry.content ?? entry.summary ?? '');
  return sha256HexOfParts([title, '\n', body]);
}

// One pass instead of collapsing runs and then removing the space between tags: the same result
// (a `> <` match can never overlap another), one full-length copy of the body fewer per item.
function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, (run: string, at: number) => (text.charCodeAt(at - 1) === 62 && text.charCodeAt(at + run.length) === 60 ? '' : ' ')).trim();
}
