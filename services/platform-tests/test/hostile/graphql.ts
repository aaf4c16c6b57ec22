// Hostile requests for /graphql: broken JSON, wrong content types, huge documents, deep
// nesting, alias and fragment bombs, cyclic fragments, directive floods, NUL bytes and lone
// surrogates in documents and variables, variables of the wrong type, batches, GET with
// garbage. /graphql answers GraphQL responses, so its verdict differs from REST's: never a 5xx,
// never INTERNAL_ERROR, and every error has a stable `extensions.code` and, when the response
// itself is an error status, `extensions.status` equal to it (nginx's own refusals stay problem+json).
import fc from 'fast-check';
import { verdict } from './requests.ts';

export interface GraphqlCase {
  label: string;
  method: 'GET' | 'POST';
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const nested = (depth: number) => `{ payments { items { ${'schedule { '.repeat(depth)} id ${'} '.repeat(depth)} } } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id email }`).join(' ')} }`;
const directives = (n: number) => `{ me { id ${'@include(if: true) '.repeat(n)} } }`;
const fragmentBomb = (n: number) =>
  `query { ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { me { id } ${i + 1 < n ? `...F${i + 1}` : ''} a${i}: payments { nextCursor } }`).join(' ')}`;

const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('\u0000', '{ me { id } }\u0000', '{ me\u0000 { id } }', '\ud800', '{ me { id } } # \udfff', '"\u0000"', '{ __typename }'.padEnd(300, '\u0000')),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

const documents: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.integer({ min: 5, max: 400 }).map((d) => [`nesting ${d}`, nested(d)] as [string, string]),
  fc.integer({ min: 50, max: 3000 }).map((n) => [`${n} aliases`, aliases(n)] as [string, string]),
  fc.integer({ min: 10, max: 2000 }).map((n) => [`${n} directives`, directives(n)] as [string, string]),
  fc.integer({ min: 2, max: 300 }).map((n) => [`fragment chain ${n}`, fragmentBomb(n)] as [string, string]),
  fc.constant(['cyclic fragments', 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'] as [string, string]),
  fc.integer({ min: 17_000, max: 1_200_000 }).map((n) => [`${n} B document`, `{ me { id } } #${'x'.repeat(n)}`] as [string, string]),
  fc.constant(['first out of range', '{ payments(first: 99999999999999999999) { nextCursor } }'] as [string, string]),
  fc.constant(['negative first', '{ payments(first: -5) { nextCursor } }'] as [string, string]),
  fc.constant(['introspection', '{ __schema { types { name fields { name } } } }'] as [string, string]),
  fc.constant(['mutation without key', 'mutation { createPayment(input: { amount: 100, currency: "EUR", type: instant, recipientEmail: "x@example.test" }) { id } }'] as [string, string]),
  fc.constant(['subscription over HTTP', 'subscription { paymentUpdated { paymentId } }'] as [string, string]),
  fc.constant(['unknown payment id', '{ payment(id: "not-a-uuid\\u0000") { id } }'] as [string, string]),
  hostileText.map((s) => ['hostile text', s] as [string, string]),
);

const variables = fc.oneof(
  fc.constant(undefined),
  fc.constant({ first: 'x' }),
  fc.constant({ id: '\u0000' }),
  fc.constant({ input: { amount: 1.5, currency: 'EUR', type: 'instant' } }),
  fc.constant({ input: { amount: '100', currency: '\u0000\u0000\u0000', type: 'nope' } }),
  fc.constant({ input: { amount: 2 ** 60, currency: 'EUR', type: 'instant', recipientEmail: 'a'.repeat(5000) } }),
  fc.anything({ maxDepth: 3 }),
);

/** A JSON POST with a hostile document, variables or envelope. */
const jsonPosts: fc.Arbitrary<GraphqlCase> = fc.tuple(documents, variables, fc.constantFrom('plain', 'batch', 'query-not-string', 'operation-name')).map(([[label, query], vars, envelope]) => {
  let payload: unknown = { query, ...(vars !== undefined ? { variables: vars } : {}) };
  if (envelope === 'batch') payload = [payload, payload];
  if (envelope === 'query-not-string') payload = { query: { nested: query.slice(0, 50) } };
  if (envelope === 'operation-name') payload = { query, operationName: '\u0000'.repeat(3) };
  return { label: `${label} (${envelope})`, method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(payload)) };
});

const rawBodies: fc.Arbitrary<GraphqlCase> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom('{"query": ', '{"query": "{ me { id } }"', 'null', '[]', '"{ me { id } }"', '{"query": "\\u0000"}', '{"query": "\\ud800"}', '', '{}'),
      fc.string({ maxLength: 300 }),
      fc.integer({ min: 1, max: 5000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
      fc.integer({ min: 1, max: 5000 }).map((d) => `{"query": "{ me { id } }", "variables": ${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`),
    ),
    fc.constantFrom('application/json', 'text/plain', 'application/graphql', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
  )
  .map(([body, type]) => ({ label: `raw body as ${type}`, method: 'POST' as const, url: '/graphql', headers: { 'content-type': type }, body: Buffer.from(body) }));

const gets: fc.Arbitrary<GraphqlCase> = fc.tuple(documents, fc.constantFrom('plain', 'variables-garbage', 'no-query')).map(([[label, query], variant]) => {
  const q = query.length > 6000 ? query.slice(0, 6000) : query;
  const params = new URLSearchParams(variant === 'no-query' ? {} : { query: q });
  if (variant === 'variables-garbage') params.set('variables', '{"first": ');
  return { label: `GET ${label} (${variant})`, method: 'GET' as const, url: `/graphql?${params}`, headers: {} };
});

export const hostileGraphqlRequest = (): fc.Arbitrary<GraphqlCase> => fc.oneof({ weight: 5, arbitrary: jsonPosts }, { weight: 2, arbitrary: rawBodies }, { weight: 2, arbitrary: gets });

/** Why a /graphql response breaks the rules, or undefined when it is fine. */
export function graphqlVerdict(status: number, headers: Record<string, string | string[] | undefined>, text: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  const type = String(headers['content-type'] ?? '');
  if (type.startsWith('application/problem+json')) return verdict(status, headers, text);
  if (status < 400 && !text.includes('"errors"')) return undefined;
  let body: { errors?: Array<{ extensions?: { code?: unknown; status?: unknown } }> };
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} body is not JSON (${type})`;
  }
  if (!Array.isArray(body.errors) || body.errors.length === 0) return status >= 400 ? `${status} without errors[]` : undefined;
  for (const error of body.errors) {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code)) return `${status} error without a stable extensions.code`;
    if (code === 'INTERNAL_ERROR') return `${status} INTERNAL_ERROR`;
    if (typeof error.extensions?.status !== 'number' || (error.extensions.status as number) >= 500) return `${status} error with extensions.status ${String(error.extensions?.status)}`;
  }
  if (status >= 400 && !body.errors.some((e) => e.extensions?.status === status)) return `${status} but no error says status ${status}`;
  return undefined;
}
