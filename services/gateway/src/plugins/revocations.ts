// Revocation and role checks without a Redis round trip per request. The gateway keeps a local copy
// of auth's markers (domain/revocation-set.ts), fed by `auth.session.revoked` and `auth.user.updated`
// on its own small queue (exclusive, auto-delete, per process — never behind the payment events the
// WebSocket bridge carries), and trusts it only while that queue is known to have missed nothing:
//
//   - until the consumer is subscribed, and whenever its connection or subscription is lost, every
//     request asks Redis (the kit's MGET, as the services do) — the fallback;
//   - on each (re)subscription it waits `settleMs` (auth writes its Redis marker just after the
//     commit whose event may have been published before our queue existed), then copies every
//     marker from Redis (SCAN), and only then answers locally.
//
// A revocation reaches the local copy as fast as auth's outbox relay publishes it (milliseconds);
// the services behind the gateway still check Redis themselves, so a proxied call is refused at
// once either way (docs/sessions.md).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { connectionUser, createEventConnection, exchangeName, readDeliveredEvent } from '@bank/events';
import { currentRoleKey, revokedSessionKey, RoleChanged, SessionRevoked, staleIdentity, type AccessClaims, type AppError } from '@bank/kit';
import { RevocationSet } from '../domain/revocation-set.ts';

type Connection = ReturnType<typeof createEventConnection>;
type AsyncMessage = Parameters<Parameters<Connection['createConsumer']>[1]>[0];

/** How long a role learnt from an event is kept: past any token minted before the change (10 min). */
const ROLE_FROM_EVENT_MS = 60 * 60_000;
/** auth keeps its revocation marker 60 s past the token's end of life; so do we. */
const REVOKED_MARGIN_MS = 60_000;
const PRUNE_INTERVAL_MS = 60_000;

export interface RevocationsOptions {
  /** RABBITMQ_URL; without it every request asks Redis. */
  url?: string;
  prefix?: string;
  settleMs: number;
  userForSource?: (source: string) => string;
}

export interface Revocations {
  /** Why these claims may no longer be used: from the local copy when it is current, else from Redis. */
  check(claims: AccessClaims): AppError | undefined | Promise<AppError | undefined>;
  /** True while answers come from the local copy. */
  readonly local: boolean;
  /** Resolves the first time the local copy becomes current. */
  readonly current: Promise<void>;
  readonly set: RevocationSet;
  queue: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    revocations: Revocations;
  }
}

export function revocationQueueName(prefix = ''): string {
  const host = hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
  return `${prefix}gateway.revocations.${host}-${randomBytes(4).toString('hex')}`;
}

async function revocationsPlugin(fastify: FastifyInstance, opts: RevocationsOptions) {
  const { redis, log } = fastify;
  const set = new RevocationSet();
  let local = false;
  // Bumped whenever the queue may have missed something: a resync under way for an older
  // generation must not switch the local copy on.
  let generation = 0;
  let markCurrent: () => void = () => undefined;
  const current = new Promise<void>((resolve) => (markCurrent = resolve));
  let connection: Connection | undefined;

  const fallBack = (why: string, err?: unknown) => {
    generation++;
    if (local) log.warn({ err, why }, 'revocations: local copy suspended; checking Redis per request until it is resynchronised');
    local = false;
  };

  /** Every marker auth holds in Redis now (a handful: revocations of the last ~11 minutes). */
  async function copyFromRedis(): Promise<void> {
    const started = Date.now();
    const revokedPrefix = revokedSessionKey('');
    for await (const keys of redis.scanStream({ match: `${revokedPrefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      const ttls = (await redis.pipeline(keys.map((k) => ['pttl', k])).exec()) ?? [];
      keys.forEach((key, i) => {
        const ttl = Number(ttls[i]?.[1]);
        // -1: no expiry (kept as long as a token lives); -2: gone meanwhile.
        if (ttl !== -2) set.revoke(key.slice(revokedPrefix.length), started + (ttl > 0 ? ttl : ROLE_FROM_EVENT_MS));
      });
    }
    const rolePrefix = currentRoleKey('');
    for await (const keys of redis.scanStream({ match: `${rolePrefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      const replies = (await redis.pipeline(keys.flatMap((k) => [['get', k], ['pttl', k]])).exec()) ?? [];
      keys.forEach((key, i) => {
        const role = replies[i * 2]?.[1];
        const ttl = Number(replies[i * 2 + 1]?.[1]);
        if (typeof role === 'string') set.setRoleFromSnapshot(key.slice(rolePrefix.length), role, started + (ttl > 0 ? ttl : ROLE_FROM_EVENT_MS), started);
      });
    }
  }

  function resynchronise() {
    const mine = ++generation;
    local = false;
    setTimeout(() => {
      if (mine !== generation) return;
      copyFromRedis().then(
        () => {
          if (mine !== generation || !connection?.ready) return;
          local = true;
          log.info({ ...set.size }, 'revocations: local copy current (no Redis round trip per request)');
          markCurrent();
        },
        (err: unknown) => {
          log.warn({ err }, 'revocations: copy from Redis failed; checking Redis per request, retrying');
          if (mine === generation) setTimeout(() => mine === generation && resynchronise(), 1_000).unref();
        },
      );
    }, opts.settleMs).unref();
  }

  let queue: string | undefined;
  if (opts.url) {
    const conn = createEventConnection(opts.url);
    connection = conn;
    conn.on('error', (err) => fallBack('rabbitmq connection error', err));
    queue = revocationQueueName(opts.prefix);
    const exchange = exchangeName({ prefix: opts.prefix });
    const authorization = { ownUser: connectionUser(conn), userForSource: opts.userForSource ?? ((source: string) => source), trustedRepublishers: [] as string[] };

    const apply = async (msg: AsyncMessage) => {
      const read = readDeliveredEvent(msg, authorization);
      if (!read.ok) {
        log.warn({ messageId: msg.messageId, reason: read.reason, detail: read.detail }, 'revocations: event dropped');
        return;
      }
      const { event } = read;
      const data = event.data as { sessionId?: string; expiresAt?: string; userId?: string; role?: string };
      const now = Date.now();
      if (event.type === 'auth.session.revoked' && data.sessionId) {
        const expires = Date.parse(data.expiresAt ?? '');
        set.revoke(data.sessionId, (Number.isFinite(expires) ? expires : now + ROLE_FROM_EVENT_MS) + REVOKED_MARGIN_MS);
      } else if (event.type === 'auth.user.updated' && data.userId && data.role) {
        set.setRole(data.userId, data.role, now + ROLE_FROM_EVENT_MS, now);
      }
    };
    const consumer = conn.createConsumer(
      {
        queue,
        queueOptions: { exclusive: true, autoDelete: true, durable: false },
        exchanges: [{ exchange, type: 'topic', durable: true }],
        queueBindings: ['auth.session.revoked', 'auth.user.updated'].map((routingKey) => ({ exchange, queue: queue!, routingKey })),
        qos: { prefetchCount: 100 },
        requeue: false,
      },
      apply,
    );
    // 'ready' after every (re)subscription: the queue is new (the old one died with its connection).
    consumer.on('ready', resynchronise);
    consumer.on('error', (err) => fallBack('consumer error', err));
    fastify.addHook('onClose', async () => {
      generation++;
      await consumer.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
    });
  }

  const pruner = setInterval(() => set.prune(Date.now()), PRUNE_INTERVAL_MS);
  pruner.unref();
  fastify.addHook('onClose', async () => clearInterval(pruner));

  const revocations: Revocations = {
    check(claims) {
      // A connection that dropped since the last event: the queue may be missing what follows.
      if (local && connection?.ready) {
        const reason = set.staleReason(claims, Date.now());
        return reason === 'session-revoked' ? SessionRevoked() : reason === 'role-changed' ? RoleChanged() : undefined;
      }
      if (local) fallBack('rabbitmq connection lost');
      return staleIdentity(redis, claims);
    },
    get local() {
      return local;
    },
    current,
    set,
    queue,
  };
  fastify.decorate('revocations', revocations);
}

export const revocations = fp(revocationsPlugin, { name: 'gateway-revocations', dependencies: ['kit-redis'] });
