// The catalogue keys payments and its simulated processor apply (@bank/events/config-catalogue),
// held in memory and changed without a restart:
// - at start, and on every admin.config.updated for one of them, the current values are fetched
//   from the admin service (GET ${ADMIN_URL}/internal/config?service=…, defaults filled in);
// - the admin.config.updated event reaches ONE replica (the queue is shared), so the fetched
//   snapshot is also written to Redis and every replica polls that key (CONFIG_REFRESH_MS):
//   all replicas apply a change within about 250 ms of the event;
// - admin unreachable at start: the Redis snapshot (if any) or the catalogue defaults apply and
//   the fetch is retried every CONFIG_RETRY_MS until it succeeds. A version never goes back.
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { configDefaults, configValueErrors, isCatalogueKey, keysAppliedBy, type ConfigKey, type ConfigValue, type ConfigValues } from '@bank/events/config-catalogue';

/** Keys applied here: the payments API's and the processor's. */
export const APPLIED_KEYS: readonly ConfigKey[] = [...keysAppliedBy('payments'), ...keysAppliedBy('processor')];

export interface ConfigItem {
  key: string;
  value: unknown;
  version: number;
}

export interface RuntimeConfig {
  get<K extends ConfigKey>(key: K): ConfigValue<K>;
  /** The processor's step delay: processor.stepDelayMs, or the env's PROCESSOR_STEP_DELAY_MS when unset. */
  stepDelayMs(): number;
  /** Fetches the current values from admin, shares them through Redis and applies them. */
  reload(): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export interface RuntimeConfigOptions {
  adminUrl: string;
  redis: Pick<Redis, 'get' | 'set'>;
  /** Redis key of the shared snapshot. */
  snapshotKey: string;
  refreshMs: number;
  retryMs: number;
  timeoutMs: number;
  envStepDelayMs: number;
  log: FastifyBaseLogger;
}

export function createRuntimeConfig(options: RuntimeConfigOptions): RuntimeConfig {
  const values: ConfigValues = configDefaults();
  const versions = new Map<ConfigKey, number>();
  let lastSnapshot: string | null = null;
  let pollTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  function apply(items: ConfigItem[]) {
    for (const item of items) {
      if (!isCatalogueKey(item.key) || !APPLIED_KEYS.includes(item.key)) continue;
      if (item.version < (versions.get(item.key) ?? 0)) continue;
      const errors = configValueErrors(item.key, item.value);
      if (errors.length) {
        options.log.warn({ key: item.key, version: item.version, errors }, 'configuration value ignored: does not match the catalogue');
        continue;
      }
      const changed = JSON.stringify(values[item.key]) !== JSON.stringify(item.value);
      (values as Record<string, unknown>)[item.key] = item.value;
      versions.set(item.key, item.version);
      if (changed) options.log.info({ key: item.key, version: item.version, value: item.value }, 'configuration applied');
    }
  }

  async function fetchItems(): Promise<ConfigItem[]> {
    const lists = await Promise.all(
      (['payments', 'processor'] as const).map(async (service) => {
        const res = await fetch(`${options.adminUrl}/internal/config?service=${service}`, { signal: AbortSignal.timeout(options.timeoutMs) });
        if (!res.ok) throw new Error(`admin answered ${res.status} for the ${service} configuration`);
        return ((await res.json()) as { items: ConfigItem[] }).items;
      }),
    );
    return lists.flat();
  }

  async function reload() {
    const items = await fetchItems();
    apply(items);
    const snapshot = JSON.stringify(items);
    lastSnapshot = snapshot;
    await options.redis.set(options.snapshotKey, snapshot).catch((err: unknown) => options.log.warn({ err }, 'configuration snapshot not shared (Redis)'));
  }

  async function poll() {
    const snapshot = await options.redis.get(options.snapshotKey);
    if (snapshot === null || snapshot === lastSnapshot) return;
    lastSnapshot = snapshot;
    apply(JSON.parse(snapshot) as ConfigItem[]);
  }

  function schedulePoll() {
    if (stopped) return;
    pollTimer = setTimeout(() => {
      poll()
        .catch((err: unknown) => options.log.warn({ err }, 'configuration snapshot poll failed'))
        .finally(schedulePoll);
    }, options.refreshMs);
    pollTimer.unref();
  }

  function retryLater() {
    if (stopped) return;
    retryTimer = setTimeout(() => {
      reload().catch((err: unknown) => {
        options.log.warn({ err: String(err) }, 'configuration not loaded from admin yet; retrying');
        retryLater();
      });
    }, options.retryMs);
    retryTimer.unref();
  }

  return {
    get: (key) => values[key],
    stepDelayMs: () => values['processor.stepDelayMs'] ?? options.envStepDelayMs,
    reload,
    async start() {
      try {
        await reload();
      } catch (err) {
        options.log.warn({ err: String(err), adminUrl: options.adminUrl }, 'configuration not loaded from admin at start: shared snapshot or defaults apply meanwhile');
        await poll().catch(() => undefined);
        retryLater();
      }
      schedulePoll();
    },
    stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(retryTimer);
    },
  };
}
