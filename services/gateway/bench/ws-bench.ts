// WebSocket benchmark (127.0.0.1 only, bounded in time and count). In one run:
//   1. baseline: a bare `ws` server, N connections, broadcast fan-out latency and memory;
//   2. the gateway (auth, rooms, heartbeat, bridge…): N authenticated connections (access tokens
//      minted with createTestKeys, verified through the gateway's publicKey test hook), the same
//      broadcast fan-out, memory before/after connecting;
//   3. user-targeted delivery from database commit to socket: outbox inserts in a throwaway
//      database at RATE events/s for SECONDS → relay → RabbitMQ → bridge queue → socket.
// Clients run in forked workers. Figures: docs/benchmarks/websocket.md.
//   bash -c '. scripts/lib/node.sh; cd services/gateway && ulimit -n 20000; node bench/ws-bench.ts'
// Knobs: WS_BENCH_CONNECTIONS (10000), WS_BENCH_WORKERS (4), WS_BENCH_BROADCASTS (20),
//        WS_BENCH_RATE (500), WS_BENCH_SECONDS (10).
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import { WebSocketServer } from 'ws';
import { createService, database, health } from '@bank/kit';
import { createTestDatabase, createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import { addToOutbox, createEvent, createEventConnection, exchangeName, OutboxRelay } from '@bank/events';
import app from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';
import { benchEnv } from './bench-env.ts';

const N = benchEnv.connections;
const WORKERS = benchEnv.workers;
const BROADCASTS = benchEnv.broadcasts;
const RATE = benchEnv.rate;
const SECONDS = benchEnv.seconds;
const HARD_LIMIT_MS = 10 * 60_000;

const hardStop = setTimeout(() => {
  console.error(`benchmark exceeded ${HARD_LIMIT_MS / 60_000} minutes; aborting`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function memory() {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}
function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN };
}
const fmt = (p: ReturnType<typeof percentiles>) => `p50 ${p.p50.toFixed(2)} ms  p95 ${p.p95.toFixed(2)} ms  p99 ${p.p99.toFixed(2)} ms  max ${p.max.toFixed(2)} ms  (n=${p.n})`;

const fdLimit = Number(execSync('sh -c "ulimit -n"').toString().trim());
if (fdLimit < N + 1_000) console.warn(`! ulimit -n is ${fdLimit}: raise it (ulimit -n ${N + 2_000}) or lower WS_BENCH_CONNECTIONS`);

// ── client workers ───────────────────────────────────────────────────────────────────────────
const workerScript = fileURLToPath(new URL('./ws-bench-clients.ts', import.meta.url));
const workers: ChildProcess[] = Array.from({ length: WORKERS }, () => fork(workerScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
function ask<T>(worker: ChildProcess, command: object, evt: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { evt: string } & T) => {
      if (message.evt !== evt) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.send(command);
  });
}
async function connectAll(url: string, tokens?: string[]) {
  const per = Math.ceil(N / WORKERS);
  const started = performance.now();
  const results = await Promise.all(
    workers.map((w, i) => {
      const count = Math.max(0, Math.min(per, N - i * per));
      return ask<{ ok: number; failed: number }>(w, { cmd: 'connect', url, count, concurrency: 50, tokens: tokens?.slice(i * per, i * per + count) }, 'connected');
    }),
  );
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  return { ok, failed, seconds: (performance.now() - started) / 1000 };
}
async function report() {
  const parts = await Promise.all(workers.map((w) => ask<{ broadcast: Array<[number, number[]]>; targeted: Array<[string, number]> }>(w, { cmd: 'report' }, 'report')));
  const broadcast = new Map<number, number[]>();
  for (const part of parts) for (const [seq, list] of part.broadcast) broadcast.set(seq, [...(broadcast.get(seq) ?? []), ...list]);
  return { broadcast, targeted: parts.flatMap((p) => p.targeted) };
}
const closeAll = () => Promise.all(workers.map((w) => ask(w, { cmd: 'close' }, 'closed')));

/** Runs BROADCASTS rounds of `send(seq, sentAt)`, 300 ms apart; returns latency figures. */
async function broadcastRounds(send: (payload: { seq: number; sentAt: number }) => number) {
  const sendMs: number[] = [];
  for (let seq = 0; seq < BROADCASTS; seq++) {
    const started = performance.now();
    const sent = send({ seq, sentAt: now() });
    sendMs.push(performance.now() - started);
    if (sent !== N) console.warn(`! broadcast ${seq} reached ${sent} of ${N} sockets`);
    await sleep(300);
  }
  await sleep(1_000);
  const { broadcast } = await report();
  const all = [...broadcast.values()].flat();
  const lastSocket = [...broadcast.values()].map((list) => Math.max(...list));
  const delivered = [...broadcast.values()].map((l) => l.length);
  return { latency: percentiles(all), lastSocket: percentiles(lastSocket), sendLoop: percentiles(sendMs), minDelivered: Math.min(...delivered) };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  out(`WebSocket benchmark — ${N} connections, ${WORKERS} client workers, ${BROADCASTS} broadcasts, targeted ${RATE}/s for ${SECONDS} s, Node ${process.version}`);

  // ── 1. baseline: bare ws ─────────────────────────────────────────────────────────────────
  {
    const before = memory();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const connected = await connectAll(`ws://127.0.0.1:${port}/`);
    const after = memory();
    const rounds = await broadcastRounds((payload) => {
      const bytes = Buffer.from(JSON.stringify({ type: 'system:health', payload, timestamp: new Date().toISOString(), correlationId: null }));
      let sent = 0;
      for (const client of wss.clients) {
        client.send(bytes, { binary: false });
        sent += 1;
      }
      return sent;
    });
    out('');
    out(`baseline (bare ws server, no auth): ${connected.ok} connected (${connected.failed} failed) in ${connected.seconds.toFixed(1)} s`);
    out(`  memory   RSS ${mb(before.rss)} → ${mb(after.rss)} (+${((after.rss - before.rss) / connected.ok / 1024).toFixed(1)} KB/conn), heap ${mb(before.heap)} → ${mb(after.heap)} (+${((after.heap - before.heap) / connected.ok / 1024).toFixed(1)} KB/conn)`);
    out(`  broadcast latency per socket  ${fmt(rounds.latency)}`);
    out(`  broadcast, last socket        ${fmt(rounds.lastSocket)}`);
    out(`  send loop (server CPU)        ${fmt(rounds.sendLoop)}; every round reached ≥ ${rounds.minDelivered} sockets`);
    await closeAll();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }

  // ── 2 + 3. the gateway ───────────────────────────────────────────────────────────────────
  const prefix = `bench.${randomBytes(3).toString('hex')}.`;
  const activityKey = `bench:last-active:${randomBytes(3).toString('hex')}`;
  const keys = createTestKeys();
  const database_ = await createTestDatabase('ws_bench');
  const dbApp = Fastify();
  try {
    const outboxDdl = readFileSync(fileURLToPath(new URL('../../events/test/fixtures/drizzle/0000_outbox_inbox.sql', import.meta.url)), 'utf8');
    await dbApp.register(health);
    await dbApp.register(database, { url: database_.url, max: 20 });
    await dbApp.ready();
    for (const statement of outboxDdl.split('--> statement-breakpoint')) if (statement.trim()) await dbApp.sql.unsafe(statement);

    const before = memory();
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      REDIS_URL: LOCAL_REDIS_URL,
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      EVENTS_PREFIX: prefix,
      SESSION_ACTIVITY_KEY: activityKey,
    });
    const gateway = await createService({ name: 'gateway', config, app: (f, o) => app(f, { ...o, publicKey: keys.publicKey, eventsUserForSource: () => 'guest' }) });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    await gateway.ws.bridge!.ready;
    const port = (gateway.server.address() as { port: number }).port;
    const users = Array.from({ length: N }, () => ({ sub: randomUUID(), sid: randomUUID() }));
    const tokens = users.map((u) => keys.sign({ sub: u.sub, sid: u.sid, role: 'CUSTOMER' }));
    const idle = memory();
    const connected = await connectAll(`ws://127.0.0.1:${port}/ws`, tokens);
    await sleep(500);
    const after = memory();
    const rounds = await broadcastRounds((payload) => gateway.ws.broadcast({ type: 'system:health', payload, timestamp: new Date().toISOString(), correlationId: null }));
    out('');
    out(`gateway (/ws: token auth + revocation check, rooms, heartbeat, bridge): ${connected.ok} connected (${connected.failed} failed) in ${connected.seconds.toFixed(1)} s`);
    out(`  memory   RSS ${mb(idle.rss)} → ${mb(after.rss)} (+${((after.rss - idle.rss) / connected.ok / 1024).toFixed(1)} KB/conn), heap ${mb(idle.heap)} → ${mb(after.heap)} (+${((after.heap - idle.heap) / connected.ok / 1024).toFixed(1)} KB/conn); process RSS before the gateway ${mb(before.rss)}`);
    out(`  broadcast latency per socket  ${fmt(rounds.latency)}`);
    out(`  broadcast, last socket        ${fmt(rounds.lastSocket)}`);
    out(`  send loop (server CPU)        ${fmt(rounds.sendLoop)}; every round reached ≥ ${rounds.minDelivered} sockets`);

    // 3. commit → socket, user-targeted, at RATE/s.
    const connection = createEventConnection('amqp://guest:guest@127.0.0.1:5672');
    const relay = new OutboxRelay({ service: 'payments', sql: dbApp.sql, connection, prefix });
    await relay.start();
    const committedAt = new Map<string, number>();
    const total = RATE * SECONDS;
    const perTick = Math.max(1, Math.round(RATE / 100));
    const started = performance.now();
    let issued = 0;
    const inFlight: Promise<void>[] = [];
    while (issued < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE) + perTick);
      while (issued < due) {
        issued += 1;
        const user = users[Math.floor(Math.random() * users.length)]!;
        const event = createEvent({
          type: 'payments.payment.updated',
          source: 'payments',
          data: { paymentId: randomUUID(), userId: user.sub, senderId: user.sub, recipientId: user.sub, amount: 100, currency: 'EUR', status: 'processing', type: 'instant' },
        });
        inFlight.push(
          dbApp.db.transaction(async (tx) => addToOutbox(tx, event)).then(() => {
            committedAt.set(event.id, now());
          }),
        );
      }
      await sleep(10);
    }
    await Promise.all(inFlight);
    const issueSeconds = (performance.now() - started) / 1000;
    const deadline = Date.now() + 20_000;
    let targeted: Array<[string, number]> = [];
    while (Date.now() < deadline) {
      await sleep(500);
      targeted = [...targeted, ...(await report()).targeted];
      if (targeted.length >= total) break;
    }
    const latencies = targeted.flatMap(([id, at]) => (committedAt.has(id) ? [at - committedAt.get(id)!] : []));
    out('');
    out(`targeted delivery, outbox commit → socket: ${total} events issued in ${issueSeconds.toFixed(1)} s (${(total / issueSeconds).toFixed(0)}/s), ${targeted.length} delivered`);
    out(`  latency                       ${fmt(percentiles(latencies))}`);
    const metrics = await gateway.inject({ url: '/metrics' });
    const dropped = metrics.body.split('\n').filter((l) => l.startsWith('ws_messages_dropped_total'));
    out(`  ws_messages_dropped_total     ${dropped.length ? dropped.join('; ') : '0'}`);

    await relay.stop();
    await closeAll();
    await gateway.close();
    await connection.exchangeDelete({ exchange: exchangeName({ prefix }) }).catch(() => undefined);
    await connection.close();
    await gateway.redis.del(activityKey).catch(() => undefined);
  } finally {
    await dbApp.close();
    await database_.drop();
  }
} finally {
  for (const w of workers) w.kill();
}
