// What the use-cases need, assembled once in app.ts and passed explicitly (easy to test).
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '@bank/kit';
import type { ReadCache } from './cache.ts';
import type { ProfileConfig } from './config.ts';

export interface ProfileContext {
  db: Db;
  cache: ReadCache;
  config: ProfileConfig;
  log: FastifyBaseLogger;
}
