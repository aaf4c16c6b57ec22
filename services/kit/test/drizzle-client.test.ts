// clientOf: the postgres.js client under a Drizzle database (for constant, prepared statements);
// anything else is refused loudly rather than sending a statement somewhere unexpected.
import t from 'tap';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { clientOf, dateOf } from '../src/drizzle-client.ts';

t.test('clientOf returns the client a Drizzle database runs on, and refuses anything else', async (t) => {
  const client = postgres('postgres://nobody@127.0.0.1:1/none', { max: 1 }); // never connects: no query is sent
  t.teardown(() => client.end({ timeout: 0 }));
  t.equal(clientOf(drizzle(client)), client, 'the very client');
  t.throws(() => clientOf({ execute: async () => [] }), /not a Drizzle postgres-js database or transaction/);
});

t.test('dateOf reads a timestamptz as text or as a Date', async (t) => {
  const at = new Date('2026-12-01T05:00:00.123Z');
  t.equal(dateOf('2026-12-01 05:00:00.123+00').getTime(), at.getTime());
  t.equal(dateOf(at), at);
});
