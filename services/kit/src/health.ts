// /health/live says the process is up; /health/ready says every real dependency answers.
// Infrastructure plugins (db, redis, events) register their own checks with `addCheck`,
// so readiness always reflects what the service actually uses.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type HealthCheck = () => Promise<unknown>;
export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    health: { addCheck(name: string, check: HealthCheck): void; run(): Promise<Record<string, CheckResult>> };
  }
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: HealthCheck): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

async function healthPlugin(fastify: FastifyInstance) {
  const checks = new Map<string, HealthCheck>();
  const run = async () => {
    const entries = await Promise.all([...checks].map(async ([name, check]) => [name, await runCheck(check)] as const));
    return Object.fromEntries(entries);
  };
  fastify.decorate('health', { addCheck: (name: string, check: HealthCheck) => void checks.set(name, check), run });

  const noLog = { logLevel: 'warn' as const, config: { public: true } };
  fastify.get('/health/live', noLog, async () => ({ status: 'ok' }));
  fastify.get('/health/ready', noLog, async (_request, reply) => {
    const results = await run();
    const ready = Object.values(results).every((r) => r.status === 'up');
    reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return { status: ready ? 'ok' : 'unavailable', checks: results };
  });
}

export const health = fp(healthPlugin, { name: 'kit-health', fastify: '5.x' });
