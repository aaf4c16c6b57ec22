// Names in the cache: namespaces, keys and tags are validated before they reach Redis, so a
// caller can never build a key from raw user input that breaks the layout (`:` separators),
// blows up memory (length) or smuggles in a secret (see secrets.ts).
import { assertNoSecretName } from './secrets.ts';

export const NAMESPACE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** Letters, digits and `: _ - . = , @ |`; no spaces, no `*`/`?`/`[` (glob characters in SCAN). */
export const KEY_PATTERN = /^[A-Za-z0-9:_\-.=,@|]+$/;
export const MAX_KEY_LENGTH = 200;
export const MAX_TAG_LENGTH = 100;
export const MAX_TAGS = 16;

export class CacheKeyError extends Error {
  readonly code = 'CACHE_INVALID_KEY';
  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

export function assertNamespace(namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) throw new CacheKeyError(`invalid cache namespace ${JSON.stringify(namespace)}`);
}

function assertName(kind: 'key' | 'tag', value: string, max: number): void {
  if (typeof value !== 'string' || value.length === 0) throw new CacheKeyError(`cache ${kind} must be a non-empty string`);
  if (value.length > max) throw new CacheKeyError(`cache ${kind} longer than ${max} characters`);
  if (!KEY_PATTERN.test(value)) throw new CacheKeyError(`cache ${kind} ${JSON.stringify(value.slice(0, 40))} has characters outside ${KEY_PATTERN.source}`);
  assertNoSecretName(value, `cache ${kind}`);
}

export const assertKey = (key: string) => assertName('key', key, MAX_KEY_LENGTH);

/** Tags of an entry: at most MAX_TAGS (each entry stores the generation of every tag it carries). */
export function assertTags(tags: readonly string[]): void {
  assertTagNames(tags);
  if (tags.length > MAX_TAGS) throw new CacheKeyError(`at most ${MAX_TAGS} tags per entry`);
}

/** Tags to invalidate: any number (one SET each, in one pipeline), each a valid name. */
export function assertTagNames(tags: readonly string[]): void {
  if (!Array.isArray(tags)) throw new CacheKeyError('cache tags must be an array');
  for (const tag of tags) assertName('tag', tag, MAX_TAG_LENGTH);
}

/** Redis key layout of one namespace: `cache:<ns>:e:<key>`, `cache:<ns>:t:<tag>`, `cache:<ns>:l:<key>`. */
export function redisKeys(namespace: string) {
  const base = `cache:${namespace}`;
  return {
    entry: (key: string) => `${base}:e:${key}`,
    tag: (tag: string) => `${base}:t:${tag}`,
    lock: (key: string) => `${base}:l:${key}`,
    pattern: `${base}:*`,
  };
}
