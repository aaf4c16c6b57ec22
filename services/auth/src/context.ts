// What the use-cases need, assembled once in app.ts and passed explicitly (easy to test).
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '@bank/kit';
import type { AuthConfig } from './config.ts';
import type { LoginThrottle } from './domain/login-throttle.ts';
import type { SigningKey } from './domain/tokens.ts';
import type { AccessClaims } from '@bank/kit';

export interface AuthContext {
  db: Db;
  redis: Redis;
  config: AuthConfig;
  key: SigningKey;
  signAccessToken: (claims: AccessClaims) => string;
  loginThrottle: LoginThrottle;
  log: FastifyBaseLogger;
}

/** Who is calling and from where: taken from the request, passed into use-cases. */
export interface RequestMeta {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}
