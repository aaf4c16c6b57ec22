// The catalogue of system configuration keys: one TypeBox schema per key, with its default,
// the components that apply it and whether a change needs a restart. Shared by the admin
// service (validates every write), the applying services (payments) and the front ends (the
// admin editor validates before saving; the shell reads the public keys). Imports `typebox`
// only, never Node built-ins, so browsers can import it (`@bank/events/config-catalogue`).
// Validate with `Value.Check` (typebox/value): `Compile` generates code, which a strict CSP
// forbids in the browser.
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

export type ConfigConsumer = 'payments' | 'processor' | 'shell' | 'gateway';

export interface ConfigKeyDefinition<S extends TSchema = TSchema> {
  schema: S;
  default: Static<S>;
  /** Who applies it; empty = no consumer yet (stored and versioned only). */
  appliedBy: readonly ConfigConsumer[];
  /** true: components read it once at start; false: applied within 1 s of the change. */
  restartRequired: boolean;
  /** Readable without a token (GET /api/admin/config/public): nothing secret here. */
  public: boolean;
  description: string;
}

const define = <S extends TSchema>(definition: ConfigKeyDefinition<S>) => definition;

const Currency = Type.String({ pattern: '^[A-Z]{3}$' });

export const CONFIG_CATALOGUE = {
  'payments.limits': define({
    schema: Type.Record(Currency, Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }), {
      additionalProperties: false,
      description: 'Maximum amount of one payment per currency, in minor units: {"EUR": 1000000} = 10 000.00 EUR',
    }),
    default: {},
    appliedBy: ['payments'],
    restartRequired: false,
    public: false,
    description:
      'Maximum amount of one payment per currency, in minor units. A payment above it is refused at creation (422 PAYMENTS_LIMIT_EXCEEDED). Currencies not listed: no limit but the processor\'s own "limit exceeded".',
  }),
  'platform.maintenance': define({
    schema: Type.Boolean(),
    default: false,
    appliedBy: ['payments', 'shell'],
    restartRequired: false,
    public: true,
    description: 'Maintenance switch: payments refuses new payments (503 PAYMENTS_MAINTENANCE) and the shell shows a maintenance banner.',
  }),
  'platform.banner': define({
    schema: Type.String({ maxLength: 500 }),
    default: '',
    appliedBy: ['shell'],
    restartRequired: false,
    public: true,
    description: 'Message the shell shows to everyone at the top of the page; empty = no banner.',
  }),
  'processor.stepDelayMs': define({
    schema: Type.Union([Type.Integer({ minimum: 0, maximum: 3_600_000 }), Type.Null()]),
    default: null,
    appliedBy: ['processor'],
    restartRequired: false,
    public: false,
    description: "The simulated processor's delay before each step, in ms; null = the payments service's PROCESSOR_STEP_DELAY_MS.",
  }),
  'processor.failRule': define({
    schema: Type.Object(
      {
        descriptionContains: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()], { description: 'fail when the description contains this (any case); null = never' }),
        amountEndsWith: Type.Union([Type.String({ pattern: '^[0-9]{1,6}$' }), Type.Null()], { description: "fail when the amount's minor units end in these digits; null = never" }),
      },
      { additionalProperties: false },
    ),
    default: { descriptionContains: 'FAIL', amountEndsWith: '13' },
    appliedBy: ['processor'],
    restartRequired: false,
    public: false,
    description: "The simulated processor's decline rule (checked after its own \"limit exceeded\").",
  }),
  'features.graphql': define({
    schema: Type.Union([Type.Boolean(), Type.Null()]),
    default: null,
    appliedBy: ['gateway'],
    restartRequired: false,
    public: false,
    description: "Feature flag for the GraphQL API at /graphql: false = refused (404 GRAPHQL_DISABLED); null = the gateway's GRAPHQL_ENABLED.",
  }),
} as const;

export type ConfigKey = keyof typeof CONFIG_CATALOGUE;
export type ConfigValue<K extends ConfigKey> = Static<(typeof CONFIG_CATALOGUE)[K]['schema']>;
export type ConfigValues = { [K in ConfigKey]: ConfigValue<K> };

export const CONFIG_KEYS = Object.keys(CONFIG_CATALOGUE) as ConfigKey[];

export const isCatalogueKey = (key: string): key is ConfigKey => Object.hasOwn(CONFIG_CATALOGUE, key);

/** Why `value` is not valid for catalogue key `key` (one line per problem); [] = valid. */
export function configValueErrors(key: ConfigKey, value: unknown): string[] {
  const schema = CONFIG_CATALOGUE[key].schema;
  if (Value.Check(schema, value)) return [];
  const errors = [...Value.Errors(schema, value)].map((e) => `${e.instancePath || '/'} ${e.message}`);
  return errors.length ? errors : ['invalid value'];
}

/** Every catalogue key at its default. */
export function configDefaults(): ConfigValues {
  return Object.fromEntries(CONFIG_KEYS.map((key) => [key, structuredClone(CONFIG_CATALOGUE[key].default)])) as ConfigValues;
}

/** Keys applied by `consumer`. */
export const keysAppliedBy = (consumer: ConfigConsumer): ConfigKey[] =>
  CONFIG_KEYS.filter((key) => (CONFIG_CATALOGUE[key].appliedBy as readonly ConfigConsumer[]).includes(consumer));
