// Helpers for tests that talk to the real PostgreSQL and Redis on this machine: a throwaway
// database per test run (dropped afterwards) and ES256 keys to mint access tokens.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSigner } from 'fast-jwt';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessClaims } from './access-token.ts';

export const LOCAL_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE test_<prefix>_<random>; `drop()` terminates connections and drops it. */
export async function createTestDatabase(prefix: string, adminUrl = LOCAL_POSTGRES_ADMIN_URL): Promise<TestDatabase> {
  const name = `test_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export interface TestKeys {
  publicKey: string;
  privateKey: string;
  sign(claims: AccessClaims, opts?: { expiresInMs?: number }): string;
}

export function createTestKeys(): TestKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    publicKey: pub,
    privateKey: priv,
    sign(claims, opts = {}) {
      const signer = createSigner({
        key: priv,
        algorithm: 'ES256',
        iss: TOKEN_ISSUER,
        aud: TOKEN_AUDIENCE,
        expiresIn: opts.expiresInMs ?? 10 * 60_000,
      });
      return signer({ ...claims });
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Polls `check` until it returns a truthy value (which is returned), or throws naming `what`
 * after `timeoutMs`. For effects that happen asynchronously (events, processors, sockets).
 */
export async function waitFor<V>(
  check: () => V | undefined | null | false | Promise<V | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<V> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
