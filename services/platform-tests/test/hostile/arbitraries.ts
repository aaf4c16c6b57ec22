// fast-check arbitraries for the hostile-input suite: a valid value for any route schema (so a
// mutation lands deep in an otherwise acceptable request), and the hostile values it is
// mutated with — text the database cannot store, dates JavaScript or PostgreSQL reject,
// crafted cursors, wrong types, huge and deeply nested values.
import fc from 'fast-check';
import type { JsonSchema } from './openapi.ts';

const typesOf = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** A value the schema accepts (best effort: formats and patterns are honoured). */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validValue(s, depth + 1)));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type }, depth + 1)));
  switch (types[0]) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1e6, -Number.MAX_SAFE_INTEGER), max: Math.min(schema.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? validValue(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object':
      return validObject(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 3 }); // "any JSON value"
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 40, 200);
  const min = schema.minLength ?? 0;
  const fit = (a: fc.Arbitrary<string>) => a.filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fit(fc.emailAddress());
    case 'date-time':
      return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
      return fc.webUrl();
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    return fit(fc.stringMatching(pattern)).filter((s) => pattern.test(s));
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

function validObject(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const shape = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validValue(s, depth + 1)]));
  const known = fc.record(shape, { requiredKeys: [...required].filter((k) => k in properties) });
  const extra =
    typeof schema.additionalProperties === 'object' && depth < 3
      ? fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), validValue(schema.additionalProperties, depth + 1), { maxKeys: Math.min(schema.maxProperties ?? 3, 3) })
      : fc.constant({});
  return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
}

// ── hostile values ─────────────────────────────────────────────────────────────────────────

const loneSurrogate = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const oddUnicode = fc.constantFrom('\u0000', '\u007f', '\u0085', '\u200b', '\u202e', '\u2028', '\ufeff', '\ufffe', '\uffff', '\u{10ffff}', '\u{1f600}', 'é', 'ß', 'İ', '\\', '"', "'", '%00', '%', '../', '{{7*7}}', '${x}', "' OR '1'='1", '<script>');

/** Text that may not survive PostgreSQL (NUL, lone surrogates) or a naive parser. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000'), fc.string({ maxLength: 8 })).map((p) => p.join('')) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 })).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.array(fc.oneof(controlChar, oddUnicode, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 12 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', 'null', 'undefined', 'NaN', 'true', '0', '-1', '1e309', '[]', '{}') },
);

/** Date-time strings near the edge of what ISO 8601, JavaScript and PostgreSQL agree on. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2024-12-31T23:59:60Z', // leap second
    '0000-01-01T00:00:00Z', // year 0
    '2024-01-01T00:00:00+23:59', // offset beyond ±14:00
    '2024-01-01T00:00:00-99:99',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '9999-12-31T23:59:59.999999999Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2024-01-01T00:00:00.1234567890123Z',
    '2024-01-01t00:00:00z',
    '2024-01-01 00:00:00Z',
    '2024-01-01T00:00:00',
    '2024-01-01',
    'infinity',
    '-infinity',
    'epoch',
    'now',
    'today',
    '1e20',
  ),
  fc
    .record({
      y: fc.integer({ min: 0, max: 9999 }),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 61 }),
      s: fc.integer({ min: 0, max: 61 }),
      off: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 70 })).map(([sg, h, m]) => `${sg}${pad(h)}:${pad(m)}`)),
    })
    .map(({ y, mo, d, h, mi, s, off }) => `${String(y).padStart(4, '0')}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${off}`),
);
function pad(n: number) {
  return String(n).padStart(2, '0');
}

const hostileUuid = fc.oneof(
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'not-a-uuid', '', '0', '1 OR 1=1', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF'),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `${u}\u0000`),
);

/** Base64url cursors: valid JSON with hostile contents, wrong shapes, or no JSON at all. */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.oneof(hostileDate, hostileString, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), fc.oneof(hostileUuid, fc.uuid(), hostileString)).map((key) => b64(JSON.stringify(key))),
  fc.jsonValue({ maxDepth: 3 }).map((v) => b64(JSON.stringify(v))),
  fc.tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 })).map((v) => b64(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  fc.string({ maxLength: 60 }),
);
const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** A JSON value nested `depth` levels deep (arrays or objects). */
export const deepValue = (depth: number, kind: 'array' | 'object'): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
};

/** Anything that is not what the schema asks for. */
export function hostileValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const valid = schema ? validValue(schema) : fc.string();
  const options: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: valid.map((v) => [v]) }, // a one-element array where a scalar is expected
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[]], { '': '' }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: schema && !schema.type && !schema.enum ? 4 : 1, arbitrary: fc.integer({ min: 50, max: 12_000 }).chain((d) => fc.constantFrom(deepValue(d, 'array'), deepValue(d, 'object'))) },
  ];
  if (schema?.format === 'date-time' || /date|from|to|at$/i.test(schema?.description ?? '')) options.push({ weight: 6, arbitrary: hostileDate });
  if (schema?.format === 'uuid') options.push({ weight: 3, arbitrary: hostileUuid });
  if (schema?.enum) options.push({ weight: 2, arbitrary: fc.constantFrom(...schema.enum).map((v) => (typeof v === 'string' ? `${v}\u0000` : v)) });
  return fc.oneof(...options);
}
