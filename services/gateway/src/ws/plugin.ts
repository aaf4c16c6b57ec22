// The gateway's WebSocket endpoint `/ws` (see docs/websocket.md): authenticated upgrade, rooms,
// validated and rate-limited client messages, heartbeat, the hub event bridge, revocation, and a
// clean shutdown (open sockets would otherwise block close()).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import type WebSocket from 'ws';
import { currentRoleKey, revokedSessionKey, ROLES, type AccessClaims } from '@bank/kit';
import type { AnyEventEnvelope } from '@bank/events';
import { originGuard, upgradeAuthenticator, WsTooManyConnections } from './authenticate.ts';
import { startEventBridge, type EventBridge } from './bridge.ts';
import { CloseCodes, CloseReasons, type CloseCode } from './close-codes.ts';
import { ConnectionRegistry, Rooms, type WsClient } from './connections.ts';
import { deliveriesOf } from './event-routing.ts';
import { startHeartbeat } from './heartbeat.ts';
import { encodeServerMessage, parseClientMessage, type ServerMessage } from './messages.ts';
import { wsMetrics } from './metrics.ts';

export interface WsPluginOptions {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxMessageBytes: number;
  maxMessagesPerSecond: number;
  maxBufferedBytes: number;
  closeGraceMs: number;
  /** Sockets per user on this replica. */
  maxSocketsPerUser: number;
  /** Origins allowed besides the page's own (CORS_ORIGINS + WS_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** RABBITMQ_URL; the bridge is off when undefined. */
  bridgeUrl?: string;
  eventsPrefix?: string;
  /** Tests publish as one user for every source. */
  userForSource?: (source: string) => string;
}

declare module 'fastify' {
  interface FastifyInstance {
    ws: {
      registry: ConnectionRegistry;
      bridge: EventBridge | undefined;
      /** Delivers a hub event to this process's sockets (what the bridge calls). */
      dispatch(event: AnyEventEnvelope): number;
      /** Sends a message to every socket of this process (e.g. `system:health`). */
      broadcast(message: ServerMessage): number;
      /** Also hands every bridged event to `listener` (GraphQL subscriptions ride the same bridge). */
      onEvent(listener: (event: AnyEventEnvelope) => void): void;
    };
  }
}

const closeWith = (socket: WebSocket, code: CloseCode) => socket.close(code, CloseReasons[code]);

async function wsPlugin(fastify: FastifyInstance, opts: WsPluginOptions) {
  const metrics = wsMetrics();
  const registry = new ConnectionRegistry({ metrics, maxBufferedBytes: opts.maxBufferedBytes });
  const log = fastify.log.child({ component: 'ws' });

  function closeSessions(sessionIds: readonly string[], revokedMessage?: Buffer): void {
    for (const sid of sessionIds) {
      for (const client of [...registry.members(Rooms.session(sid))]) {
        if (revokedMessage) registry.sendTo(client, revokedMessage, 'session:revoked');
        closeWith(client.socket, CloseCodes.SESSION_REVOKED);
      }
    }
  }

  const listeners: Array<(event: AnyEventEnvelope) => void> = [];

  function dispatch(event: AnyEventEnvelope): number {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        log.warn({ err, eventId: event.id }, 'ws bridge: event listener failed');
      }
    }
    let total = 0;
    for (const delivery of deliveriesOf(event)) {
      if (delivery.roleChange) {
        const moved = registry.setRole(delivery.roleChange.userId, delivery.roleChange.role);
        if (moved) log.info({ userId: delivery.roleChange.userId, role: delivery.roleChange.role, sockets: moved }, 'sockets moved to the new role rooms');
      }
      const bytes = encodeServerMessage(delivery.message);
      const sent = registry.deliver(delivery.rooms, bytes, delivery.message.type);
      if (sent) metrics.deliveryLatency.observe({ type: delivery.message.type }, Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000);
      if (delivery.closeSessions) closeSessions(delivery.closeSessions);
      total += sent;
    }
    return total;
  }

  function broadcast(message: ServerMessage): number {
    return registry.deliver([Rooms.broadcast], encodeServerMessage(message), message.type);
  }

  // Defence in depth if a revocation or role event is missed (bridge down): each heartbeat round
  // checks the connected sessions' revocation markers and the users' role markers in one pipeline.
  async function sweepStale(): Promise<void> {
    const clients = [...registry.clients];
    const sids = [...new Set(clients.map((c) => c.sessionId))];
    const users = [...new Set(clients.map((c) => c.userId))];
    if (sids.length === 0) return;
    const pipeline = fastify.redis.pipeline();
    for (const sid of sids) pipeline.exists(revokedSessionKey(sid));
    for (const userId of users) pipeline.get(currentRoleKey(userId));
    const results = (await pipeline.exec()) ?? [];
    users.forEach((userId, i) => {
      const role = results[sids.length + i]?.[1];
      if (typeof role === 'string' && (ROLES as readonly string[]).includes(role)) registry.setRole(userId, role as AccessClaims['role']);
    });
    const revoked = sids.filter((_sid, i) => results[i]?.[1] === 1);
    if (revoked.length === 0) return;
    const now = new Date().toISOString();
    for (const sid of revoked) {
      const message = encodeServerMessage({ type: 'session:revoked', payload: { sessionId: sid, reason: 'revoked' }, timestamp: now, correlationId: null });
      closeSessions([sid], message);
    }
  }

  const heartbeat = startHeartbeat(registry, {
    intervalMs: opts.heartbeatIntervalMs,
    timeoutMs: opts.heartbeatTimeoutMs,
    onTerminate: (count) => log.debug({ count }, 'terminated sockets that missed a heartbeat'),
    onRound: () => void sweepStale().catch((err: unknown) => log.warn({ err }, 'revocation sweep failed')),
  });

  let bridge: EventBridge | undefined;
  if (opts.bridgeUrl) {
    bridge = startEventBridge({
      url: opts.bridgeUrl,
      prefix: opts.eventsPrefix,
      log,
      metrics,
      ...(opts.userForSource ? { userForSource: opts.userForSource } : {}),
      onEvent: (event) => {
        dispatch(event);
      },
    });
    fastify.health.addCheck('ws-bridge', async () => {
      if (!bridge!.connection.ready) throw new Error('RabbitMQ connection of the WebSocket bridge is not ready');
    });
  }

  fastify.decorate('ws', { registry, bridge, dispatch, broadcast, onEvent: (listener: (event: AnyEventEnvelope) => void) => void listeners.push(listener) });

  // Registered before @fastify/websocket's own preClose, so clients get a proper 1001 first.
  fastify.addHook('preClose', async () => {
    heartbeat.stop();
    await bridge?.close().catch((err: unknown) => log.warn({ err }, 'ws bridge close failed'));
    if (registry.clients.size === 0) return;
    for (const client of registry.clients) closeWith(client.socket, CloseCodes.GOING_AWAY);
    const deadline = Date.now() + opts.closeGraceMs;
    while (registry.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const client of registry.clients) client.socket.terminate();
  });

  await fastify.register(websocket, {
    options: { maxPayload: opts.maxMessageBytes, perMessageDeflate: false },
    // Socket-level errors (oversized frame, abrupt disconnect) are expected traffic, not failures.
    errorHandler: (error, socket) => {
      log.debug({ err: { message: error.message, code: (error as { code?: string }).code } }, 'websocket error');
      // On a frame it refuses (too big: 1009, invalid UTF-8: 1007) ws has already sent the close
      // frame; terminating at once could drop it unflushed (the client, still uploading, saw 1006
      // through nginx — found by the hostile-input suite). Give the close the grace period.
      if (socket.readyState === socket.CLOSING) {
        setTimeout(() => socket.terminate(), Math.max(opts.closeGraceMs, 100)).unref();
        return;
      }
      socket.terminate();
    },
  });

  const authenticateUpgrade = upgradeAuthenticator(fastify);
  const checkOrigin = originGuard(opts.allowedOrigins);
  const socketsOf = (userId: string) => registry.members(Rooms.user(userId)).size;
  // Refused before the upgrade (a clean HTTP 429) when the user is at the cap already.
  const checkCap = async (request: { user: unknown }) => {
    if (socketsOf((request.user as AccessClaims).sub) >= opts.maxSocketsPerUser) {
      throw WsTooManyConnections(`At most ${opts.maxSocketsPerUser} WebSocket connections per user; close one first`);
    }
  };

  // logLevel warn: the request line carries a ticket; it must not be logged. The Origin is checked
  // first, so a foreign page never even spends the ticket.
  fastify.get('/ws', { websocket: true, logLevel: 'warn', preValidation: [checkOrigin, authenticateUpgrade, checkCap], schema: { hide: true } }, (socket, request) => {
    const claims = request.user as AccessClaims;
    // Parallel upgrades can pass checkCap together; the cap holds once they are open.
    if (socketsOf(claims.sub) >= opts.maxSocketsPerUser) {
      closeWith(socket, CloseCodes.TOO_MANY_CONNECTIONS);
      return;
    }
    const client = registry.add(socket, claims);
    // Listeners attached synchronously: messages arriving before an await would be lost.
    socket.on('message', (data, isBinary) => onClientMessage(client, data as Buffer, isBinary));
    socket.on('pong', () => {
      client.pingSentAt = 0;
    });
    socket.on('close', (code) => {
      registry.remove(client);
      if (code === CloseCodes.MESSAGE_TOO_BIG) metrics.messagesIn.inc({ result: 'too-big' });
    });
    fastify.sessionActivity?.touch(claims.sid);
    registry.sendTo(
      client,
      encodeServerMessage({ type: 'welcome', payload: { userId: claims.sub, sessionId: claims.sid, rooms: client.rooms }, timestamp: new Date().toISOString(), correlationId: request.id }),
      'welcome',
    );
  });

  function onClientMessage(client: WsClient, data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    if (now - client.windowStartedAt >= 1000) {
      client.windowStartedAt = now;
      client.windowCount = 0;
    }
    client.windowCount += 1;
    if (client.windowCount > opts.maxMessagesPerSecond) {
      // Count and close once; frames already in flight after the close are ignored.
      if (client.windowCount === opts.maxMessagesPerSecond + 1) {
        metrics.messagesIn.inc({ result: 'rate-limited' });
        closeWith(client.socket, CloseCodes.RATE_LIMITED);
      }
      return;
    }
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) {
      metrics.messagesIn.inc({ result: 'invalid' });
      closeWith(client.socket, CloseCodes.INVALID_MESSAGE);
      return;
    }
    metrics.messagesIn.inc({ result: 'accepted' });
    if (parsed.type === 'ping') {
      registry.sendTo(client, encodeServerMessage({ type: 'pong', payload: { id: parsed.id }, timestamp: new Date(now).toISOString(), correlationId: null }), 'pong');
    }
  }
}

export const websocketEndpoint = fp(wsPlugin, { name: 'gateway-websocket', dependencies: ['kit-redis', 'kit-access-token', 'kit-health'] });
