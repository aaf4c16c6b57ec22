// Sign-in throttling (docs/sessions.md, "Sign-in throttling"). No lockout: failures slow down the
// address that makes them, so a stranger cannot lock the real user out. Two counters in Redis:
//   - per account + address: `freeAttempts` tries, then each further attempt must wait
//     base × 2^(n − free) seconds after the previous one, capped at `maxDelaySeconds`;
//   - per address (any account): the same curve with a larger allowance (password spraying).
// An attempt is *reserved* before the password is checked (one Lua script: refuse if a delay is
// running, else count it and arm the next delay), so a burst of parallel guesses cannot slip
// through between check and count. A correct password then undoes the reservation: the
// account+address counter is cleared, the address counter decremented (a successful user behind
// a shared address does not pay for it, and one good password does not reset an attack).
// The account+address counter is forgotten `forgetAfterSeconds` after its last attempt; the
// address counter lives `addressWindowSeconds` from its first attempt (a busy shared address,
// whose successes keep it alive, starts afresh every window instead of carrying failures forever).
import type { Redis } from 'ioredis';

export interface LoginThrottlePolicy {
  freePerAccountAddress: number;
  freePerAddress: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
  addressWindowSeconds: number;
}

/**
 * The unit an attacker controls: an IPv4 address, or an IPv6 /64 (one customer line gets a whole
 * /64, so counting single IPv6 addresses would hand out 2^64 fresh counters).
 */
export function addressUnit(ip: string): string {
  if (!ip.includes(':') || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.replace(/^::ffff:/i, '');
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (g || '0').replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

const keys = {
  accountAddress: (email: string, ip: string) => `auth:throttle:acct-ip:${addressUnit(ip)}:${email}`,
  address: (ip: string) => `auth:throttle:ip:${addressUnit(ip)}`,
};

/** Seconds an attempt must wait after the `attempt`-th one failed (0 within the allowance). */
export function delayAfter(attempt: number, free: number, policy: Pick<LoginThrottlePolicy, 'baseDelaySeconds' | 'maxDelaySeconds'>): number {
  if (attempt < free) return 0;
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.min(attempt - free, 30));
}

// KEYS[i]: hashes {n = attempts, until = epoch ms before which no attempt is allowed}.
// ARGV: now, forget-after ms (key 1), base ms, cap ms, free allowance of key 1, of key 2, window
// ms of key 2 (set once, from its first attempt).
// Returns 0 (reserved) or the ms left to wait (nothing counted).
const RESERVE = `
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local untilMs = tonumber(redis.call('HGET', key, 'until') or '0')
  if untilMs > now and untilMs - now > wait then wait = untilMs - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', 1)
  local free = tonumber(ARGV[4 + i])
  local delay = 0
  if n >= free then delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - free, 30)) end
  redis.call('HSET', key, 'until', now + delay)
  if i == 1 then redis.call('PEXPIRE', key, tonumber(ARGV[2])) else redis.call('PEXPIRE', key, tonumber(ARGV[7]), 'NX') end
end
return 0
`;

// Undo one reservation after a correct password.
const RELEASE = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local n = redis.call('HINCRBY', KEYS[2], 'n', -1)
  if n <= 0 then redis.call('DEL', KEYS[2]) else redis.call('HSET', KEYS[2], 'until', 0) end
end
return 0
`;

export function createLoginThrottle(redis: Redis, policy: LoginThrottlePolicy) {
  return {
    /** Reserves an attempt: 0, or the seconds to wait before trying again (nothing was counted). */
    async reserve(email: string, ip: string): Promise<number> {
      const waitMs = (await redis.eval(
        RESERVE,
        2,
        keys.accountAddress(email, ip),
        keys.address(ip),
        Date.now(),
        policy.forgetAfterSeconds * 1000,
        policy.baseDelaySeconds * 1000,
        policy.maxDelaySeconds * 1000,
        policy.freePerAccountAddress,
        policy.freePerAddress,
        policy.addressWindowSeconds * 1000,
      )) as number;
      return Math.ceil(waitMs / 1000);
    },
    /** The password was right: this attempt does not count. */
    async release(email: string, ip: string): Promise<void> {
      await redis.eval(RELEASE, 2, keys.accountAddress(email, ip), keys.address(ip));
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
