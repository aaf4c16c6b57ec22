// What the use-cases need, assembled once in app.ts and passed explicitly (easy to test).
import type { FastifyBaseLogger } from 'fastify';
import type { Cache } from '@bank/cache';
import type { Db, Role } from '@bank/kit';
import type { PaymentsConfig } from './config.ts';
import type { RuntimeConfig } from './runtime-config.ts';

export interface PaymentsContext {
  db: Db;
  cache: Cache;
  config: PaymentsConfig;
  /** Catalogue configuration applied without a restart (limits, maintenance, processor rule). */
  settings: RuntimeConfig;
  log: FastifyBaseLogger;
}

/** The authenticated caller (from the verified access token). */
export interface Actor {
  sub: string;
  role: Role;
}

export const isAdmin = (actor: Actor) => actor.role === 'ADMIN';
