// Cached reads that never fail because of the cache: a value the cache refuses (a description
// that happens to look like a token, say) is served uncached instead of breaking the request.
import { CacheSecretError } from '@bank/cache';
import type { PaymentsContext } from '../context.ts';

export async function cached<T>(ctx: PaymentsContext, key: string, ttlSeconds: number, tags: string[], loader: () => Promise<T>): Promise<T> {
  try {
    return await ctx.cache.wrap(key, ttlSeconds, tags, loader);
  } catch (err) {
    if (!(err instanceof CacheSecretError)) throw err;
    ctx.log.warn({ key, err: { message: err.message } }, 'value not cacheable; served uncached');
    return loader();
  }
}
