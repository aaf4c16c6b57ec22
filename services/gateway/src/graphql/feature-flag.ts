// The GraphQL switch: catalogue key `features.graphql` (@bank/events/config-catalogue), applied
// live. At start and on every admin.config.updated of that key (delivered by the gateway's event
// bridge, which every replica consumes) the value is fetched from admin's internal API
// (GET ${ADMIN_URL}/internal/config?service=gateway). null — the catalogue default, or admin not
// reachable yet — means the gateway's GRAPHQL_ENABLED. Retried until admin answers.
import type { FastifyBaseLogger } from 'fastify';

export const GRAPHQL_FLAG_KEY = 'features.graphql';

export interface FeatureFlag {
  enabled(): boolean;
  reload(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface FeatureFlagOptions {
  adminUrl: string;
  envDefault: boolean;
  retryMs: number;
  timeoutMs: number;
  log: FastifyBaseLogger;
}

export function graphqlFeatureFlag(opts: FeatureFlagOptions): FeatureFlag {
  let configured: boolean | null = null;
  let version = 0;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  async function reload(): Promise<void> {
    const res = await fetch(`${opts.adminUrl}/internal/config?service=gateway`, { signal: AbortSignal.timeout(opts.timeoutMs) });
    if (!res.ok) throw new Error(`admin answered ${res.status} for the gateway configuration`);
    const { items } = (await res.json()) as { items: Array<{ key: string; value: unknown; version: number }> };
    const item = items.find((i) => i.key === GRAPHQL_FLAG_KEY);
    if (!item || item.version < version) return;
    const value = typeof item.value === 'boolean' ? item.value : null;
    if (value !== configured) opts.log.info({ key: GRAPHQL_FLAG_KEY, version: item.version, value }, 'configuration applied');
    configured = value;
    version = item.version;
  }

  function attempt(): void {
    reload().catch((err: unknown) => {
      opts.log.warn({ err: { message: (err as Error).message } }, 'graphql feature flag: admin not reachable, retrying');
      if (!stopped) retry = setTimeout(attempt, opts.retryMs).unref();
    });
  }

  return {
    enabled: () => configured ?? opts.envDefault,
    reload,
    start: attempt,
    stop() {
      stopped = true;
      clearTimeout(retry);
    },
  };
}
