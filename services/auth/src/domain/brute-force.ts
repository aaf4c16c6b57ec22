// Brute-force protection on Redis: failures are counted per account and per IP in a sliding
// window; crossing a limit sets a lockout key that simply expires. A successful sign-in
// clears the account's counter (not the IP's: one good password must not reset an attack).
import type { Redis } from 'ioredis';

export interface BruteForcePolicy {
  maxPerAccount: number;
  maxPerIp: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

const keys = {
  failAccount: (email: string) => `auth:bf:fail:acct:${email}`,
  failIp: (ip: string) => `auth:bf:fail:ip:${ip}`,
  lockAccount: (email: string) => `auth:bf:lock:acct:${email}`,
  lockIp: (ip: string) => `auth:bf:lock:ip:${ip}`,
};

export function createBruteForceGuard(redis: Redis, policy: BruteForcePolicy) {
  return {
    /** Seconds until the lockout ends, or 0 when sign-in may be attempted. */
    async lockedFor(email: string, ip: string): Promise<number> {
      const [account, byIp] = await Promise.all([redis.pttl(keys.lockAccount(email)), redis.pttl(keys.lockIp(ip))]);
      return Math.ceil(Math.max(account, byIp, 0) / 1000);
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      const result = await redis
        .multi()
        .incr(keys.failAccount(email))
        .expire(keys.failAccount(email), policy.windowSeconds, 'NX')
        .incr(keys.failIp(ip))
        .expire(keys.failIp(ip), policy.windowSeconds, 'NX')
        .exec();
      const accountFailures = Number(result?.[0]?.[1] ?? 0);
      const ipFailures = Number(result?.[2]?.[1] ?? 0);
      const locks = redis.multi();
      if (accountFailures >= policy.maxPerAccount) {
        locks.set(keys.lockAccount(email), '1', 'EX', policy.lockoutSeconds).del(keys.failAccount(email));
      }
      if (ipFailures >= policy.maxPerIp) {
        locks.set(keys.lockIp(ip), '1', 'EX', policy.lockoutSeconds).del(keys.failIp(ip));
      }
      await locks.exec();
    },
    async recordSuccess(email: string): Promise<void> {
      await redis.del(keys.failAccount(email));
    },
  };
}
export type BruteForceGuard = ReturnType<typeof createBruteForceGuard>;
