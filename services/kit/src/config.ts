// Configuration parsed once at boot from the environment against a TypeBox schema.
// Values are coerced (strings → numbers/booleans), defaults applied, and any problem stops
// the process with one readable message listing every bad variable. This is the only file
// in the kit that reads process.env; services pass their own schema through `loadConfig`.
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** Variables every service understands. Services extend this with their own. */
export const baseConfigProperties = {
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String()),
  /** Service name on traces and error reports (the native runner and the charts set it). */
  OTEL_SERVICE_NAME: Type.Optional(Type.String()),
  /** Sentry DSN; unset = no error reports (nothing loaded, nothing sent). */
  SENTRY_DSN: Type.Optional(Type.String()),
  /** Sentry environment; defaults to NODE_ENV. */
  SENTRY_ENVIRONMENT: Type.Optional(Type.String({ maxLength: 64 })),
  /** Share of errors sent to Sentry, 0..1. */
  SENTRY_SAMPLE_RATE: Type.Number({ default: 1, minimum: 0, maximum: 1 }),
  /** Release tag on error reports (e.g. the image tag). */
  SENTRY_RELEASE: Type.Optional(Type.String({ maxLength: 200 })),
  /** Seconds close-with-grace waits for in-flight work before forcing exit. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0 }),
  /** Retention job (see retention.ts): pause between pruning rounds; 0 turns the schedule off. */
  RETENTION_INTERVAL_MS: Type.Integer({ default: 15 * 60_000, minimum: 0 }),
  /** Sent outbox rows are kept this long: the window `replayEvents` can re-publish from. */
  OUTBOX_RETENTION_HOURS: Type.Integer({ default: 7 * 24, minimum: 1 }),
  /** Inbox rows (processed event ids) are kept this long: keep it ≥ the outbox's so replays stay no-ops. */
  INBOX_RETENTION_HOURS: Type.Integer({ default: 30 * 24, minimum: 1 }),
  /**
   * Peers whose X-Forwarded-For is believed (client-ip.ts): comma-separated IPs/CIDRs or
   * `loopback`/`linklocal`/`uniquelocal`; `none` = nobody (the socket address is the client).
   * Natively nginx and the gateway reach the services over loopback; in Kubernetes the charts set
   * the pod network of the ingress controller (gateway) or of the gateway (services).
   */
  TRUSTED_PROXIES: Type.String({ default: 'loopback', pattern: '^[0-9A-Za-z:./, ]*$' }),
};

export type BaseConfig = Static<TObject<typeof baseConfigProperties>>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(service: string, problems: string[]) {
    super(`Invalid configuration for ${service}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parse `env` against `properties` (merged with the base properties).
 * Throws ConfigError naming every invalid or missing variable.
 */
export function loadConfig<P extends TProperties>(
  service: string,
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<typeof baseConfigProperties & P>> {
  const schema = Type.Object({ ...baseConfigProperties, ...properties });
  // Only keys the schema knows; empty strings count as unset so `FOO=` falls back to defaults.
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, input));
  // Check variable by variable so the message names each bad one exactly once.
  const problems: string[] = [];
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const [key, propSchema] of Object.entries(schema.properties) as Array<[string, TSchema]>) {
    const value = (withDefaults as Record<string, unknown>)[key];
    if (value === undefined) {
      if (required.has(key)) problems.push(`${key}: is required${describe(propSchema)}`);
    } else if (!Value.Check(propSchema, value)) {
      problems.push(`${key}: invalid value ${JSON.stringify(value)}${describe(propSchema)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(service, problems);
  return withDefaults as Static<TObject<typeof baseConfigProperties & P>>;
}

function describe(schema: TSchema): string {
  const s = schema as { enum?: unknown[]; type?: string; pattern?: string; description?: string };
  if (s.enum) return ` (one of ${s.enum.join(', ')})`;
  if (s.pattern) return ` (must match ${s.pattern})`;
  if (s.type && s.type !== 'string') return ` (${s.type})`;
  return '';
}

/** A PostgreSQL/Redis/AMQP URL: any string with a scheme. */
export const UrlString = (scheme: RegExp, opts: { default?: string; description?: string } = {}) =>
  Type.String({ pattern: scheme.source, ...opts });
