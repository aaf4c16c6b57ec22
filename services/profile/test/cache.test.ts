// Reads are cached in Redis (@bank/cache); PATCH and auth.user.updated invalidate the user's entry.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { createEvent } from '@bank/events';
import { bearer, buildProfile, waitFor } from './helper.ts';

t.test('cached reads, invalidated by updates and by auth.user.updated', async (t) => {
  const { app, token, publish } = await buildProfile(t);
  const userId = randomUUID();
  const auth = bearer(token({ sub: userId }));
  const get = async () => (await app.inject({ url: '/profile/me', headers: auth })).json();

  t.equal((await get()).bio, null);
  // Change the row behind the service's back: a cached read does not see it.
  await app.db.execute(sql`update profiles set bio = 'written directly', email = 'direct@example.test' where user_id = ${userId}`);
  t.equal((await get()).bio, null, 'served from the cache');

  const patched = await app.inject({ method: 'PATCH', url: '/profile/me', headers: auth, payload: { displayName: 'Cached' } });
  t.equal(patched.statusCode, 200);
  t.match(await get(), { displayName: 'Cached', bio: 'written directly' }, 'the update invalidated the entry: fresh from PostgreSQL');

  await app.db.execute(sql`update profiles set bio = 'second direct write' where user_id = ${userId}`);
  t.equal((await get()).bio, 'written directly', 'cached again');
  await publish(createEvent({ type: 'auth.user.updated', source: 'auth', data: { userId, email: 'renamed@example.test', name: 'Renamed', role: 'CUSTOMER', status: 'active' } }));
  await waitFor(async () => (await get()).email === 'renamed@example.test', 'the event to invalidate the entry');
  t.match(await get(), { name: 'Renamed', bio: 'second direct write' }, 'reloaded after auth.user.updated');
});
