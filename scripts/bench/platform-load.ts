// The platform benchmark's load generator, in its own process so it does not share an event loop
// with the orchestrator: creates payments through the gateway at a fixed rate (open loop — a
// request is sent when it is due whether or not earlier ones have answered, and its latency is
// counted from when it was due, so a stalled server cannot hide its queue). Each request uses
// one of several senders' real access tokens in turn and a fresh Idempotency-Key.
//
//   node scripts/bench/platform-load.ts '<json LoadPlan>'   → prints one JSON LoadResult
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export interface LoadPlan {
  /** http://127.0.0.1:3000 */
  gatewayUrl: string;
  ratePerSecond: number;
  seconds: number;
  senders: Array<{ token: string; email: string }>;
  /** Written into each payment's description, so the run's payments can be found in the database. */
  tag: string;
  /** File to write the created payments' ids to (one per line). */
  idsFile: string;
}

export interface LoadResult {
  offered: number;
  achievedPerSecond: number;
  statuses: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  created: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const url = new URL('/api/payments', plan.gatewayUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(plan.ratePerSecond * plan.seconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const ids: string[] = [];
  const count = (key: string) => (statuses[key] = (statuses[key] ?? 0) + 1);
  let sent = 0;
  let finished = 0;
  let lastAnswer = 0;
  const started = performance.now();

  function send(i: number, dueAt: number) {
    const sender = plan.senders[i % plan.senders.length]!;
    const recipient = plan.senders[(i + 1) % plan.senders.length]!;
    const body = JSON.stringify({ recipientEmail: recipient.email, amount: 100 + (i % 900), currency: 'EUR', type: 'instant', description: plan.tag });
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${sender.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': randomUUID(),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          lastAnswer = performance.now();
          latencies.push(lastAnswer - dueAt);
          count(String(res.statusCode));
          if (res.statusCode === 201) {
            const id = (JSON.parse(Buffer.concat(chunks).toString()) as { id?: string; payment?: { id?: string } });
            const paymentId = id.payment?.id ?? id.id;
            if (paymentId) ids.push(paymentId);
          }
          finished++;
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      count(err.message === 'timeout' ? 'timeout' : (err as NodeJS.ErrnoException).code ?? 'error');
      finished++;
    });
    req.end(body);
  }

  // Each request is sent at its due time (request i at i / rate): a timer set for the next one, and
  // whatever has become due meanwhile goes out at once. By `elapsed`, the first
  // floor(elapsed × rate) + 1 are due — without the + 1 (and with a fixed 5 ms tick) each request
  // went out one interval after its due time, 40 ms at 25/s, and that wait was counted as API
  // latency.
  await new Promise<void>((resolve) => {
    const sendDue = () => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed / 1000) * plan.ratePerSecond) + 1);
      while (sent < due) {
        send(sent, started + (sent * 1000) / plan.ratePerSecond);
        sent++;
      }
      if (sent >= total) {
        resolve();
        return;
      }
      setTimeout(sendDue, Math.max(0, started + (sent * 1000) / plan.ratePerSecond - performance.now()));
    };
    sendDue();
  });
  const deadline = Date.now() + 35_000;
  while (finished < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  writeFileSync(plan.idsFile, ids.join('\n'));
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    offered: sent,
    // Answered requests over the time from the first send to the last answer.
    achievedPerSecond: round(finished / ((Math.max(lastAnswer, started + 1) - started) / 1000)),
    statuses,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? Number.NaN),
    },
    created: ids.length,
  };
}

if (import.meta.main) {
  const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
  process.stdout.write(JSON.stringify(await run(plan)));
}
