// @bank/cache — see README.md.
export { createCache, type Cache, type CacheOptions, type CacheLogger } from './cache.ts';
export { CacheKeyError, KEY_PATTERN, MAX_KEY_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, NAMESPACE_PATTERN } from './keys.ts';
export { CacheSecretError, SECRET_FIELD_NAMES, assertNoSecrets, isSecretName } from './secrets.ts';
export { cacheMetrics } from './metrics.ts';
