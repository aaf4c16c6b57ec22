// Builds the auth app against a throwaway database and the real Redis.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createService } from '@bank/kit';
import { createTestDatabase, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadAuthConfig } from '../src/config.ts';
import { signingKeyFromPem } from '../src/domain/tokens.ts';
import { bearer } from '@bank/kit/testing';

export async function buildAuth(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}) {
  const db = await createTestDatabase('auth');
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const config = loadAuthConfig({
    DATABASE_URL: db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    JWT_PRIVATE_KEY_FILE: '/unused-in-tests',
    EVENTS_PREFIX: `test.${randomBytes(3).toString('hex')}.`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const service = await createService({
    name: 'auth',
    config,
    app: (fastify, opts) => app(fastify, { ...opts, signingKey: signingKeyFromPem(pem) }),
  });
  await service.ready();
  t.teardown(async () => {
    await service.close();
    await db.drop();
  });
  return service;
}

/** Unique per test run so Redis counters (brute force) never collide between runs. */
export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@example.test`;
export const PASSWORD = 'correct horse battery';

export async function signUpAndIn(app: FastifyInstance, opts: { email?: string; ip?: string; deviceId?: string } = {}) {
  const email = opts.email ?? uniqueEmail();
  const signup = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD, name: 'Test User' } });
  if (signup.statusCode !== 201) throw new Error(`signup failed: ${signup.body}`);
  const signin = await app.inject({
    method: 'POST',
    url: '/auth/signin',
    remoteAddress: opts.ip ?? randomIp(),
    payload: { email, password: PASSWORD, ...(opts.deviceId ? { deviceId: opts.deviceId } : {}) },
  });
  if (signin.statusCode !== 200) throw new Error(`signin failed: ${signin.body}`);
  return { email, ...(signin.json() as { accessToken: string; refreshToken: string; sessionId: string; user: { id: string } }) };
}

export const randomIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export { bearer };
