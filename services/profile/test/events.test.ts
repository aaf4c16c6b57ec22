// Profiles follow auth's user events through the inbox: created on registration, a redelivered
// event has no second effect, updates refresh the copy of the account data.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { createEvent } from '@bank/events';
import { bearer, buildProfile, waitFor } from './helper.ts';

t.test('auth.user.registered creates the profile once; auth.user.updated refreshes it', async (t) => {
  const { app, publish, token } = await buildProfile(t);
  const userId = randomUUID();
  const registered = createEvent({
    type: 'auth.user.registered',
    source: 'auth',
    data: { userId, email: 'ada@example.test', name: 'Ada Lovelace', role: 'CUSTOMER' },
  });
  await publish(registered);
  const profileRow = async () =>
    (await app.db.execute(sql`select email, name, display_name from profiles where user_id = ${userId}`)) as unknown as Array<{ email: string; name: string; display_name: string }>;
  await waitFor(async () => (await profileRow()).length === 1, 'the profile row');
  t.same(await profileRow(), [{ email: 'ada@example.test', name: 'Ada Lovelace', display_name: 'Ada Lovelace' }], 'filled from the event');

  const me = await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) });
  t.equal(me.statusCode, 200);
  t.match(me.json(), { userId, email: 'ada@example.test', displayName: 'Ada Lovelace', preferences: { theme: 'system', locale: 'en-GB' } });

  // Redelivery: the handler must not run again. Change the row behind its back: a second run
  // of the upsert would restore the event's email.
  await app.db.execute(sql`update profiles set email = 'changed@example.test' where user_id = ${userId}`);
  await publish(registered);
  // Handlers run one at a time in queue order: once a later event is handled, the duplicate was too.
  const marker = createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId: randomUUID(), email: 'm@example.test', name: 'Marker', role: 'CUSTOMER' } });
  await publish(marker);
  const inboxHas = async (eventId: string) =>
    ((await app.db.execute(sql`select 1 from inbox where event_id = ${eventId}`)) as unknown as unknown[]).length === 1;
  await waitFor(() => inboxHas(marker.id), 'the marker event');
  t.equal((await profileRow())[0]?.email, 'changed@example.test', 'the redelivered event had no second effect');
  const inboxRows = (await app.db.execute(sql`select count(*)::int as n from inbox where event_id = ${registered.id}`)) as unknown as Array<{ n: number }>;
  t.equal(inboxRows[0]?.n, 1, 'one inbox row for the event');

  // The user edits their display name; auth then renames the account: the display name stays.
  const patch = await app.inject({ method: 'PATCH', url: '/profile/me', headers: bearer(token({ sub: userId })), payload: { displayName: 'Countess' } });
  t.equal(patch.statusCode, 200);
  const updated = createEvent({
    type: 'auth.user.updated',
    source: 'auth',
    data: { userId, email: 'ada@new.example.test', name: 'Ada King', role: 'CUSTOMER', status: 'active' },
  });
  await publish(updated);
  await waitFor(async () => {
    const res = await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) });
    return res.json().email === 'ada@new.example.test';
  }, 'the updated email to be served');
  const after = (await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) })).json();
  t.match(after, { email: 'ada@new.example.test', name: 'Ada King', displayName: 'Countess' });
});

t.test('an event for a user who opened the profile first completes the lazy profile', async (t) => {
  const { app, publish, token } = await buildProfile(t);
  const userId = randomUUID();
  const lazy = await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) });
  t.equal(lazy.statusCode, 200, 'no 404 before the event: created with defaults');
  t.match(lazy.json(), { userId, email: null, displayName: null, preferences: { theme: 'system', notifications: { email: true, sms: false, push: true } } });
  const event = createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId, email: 'late@example.test', name: 'Late Event', role: 'CUSTOMER' } });
  await publish(event);
  await waitFor(async () => (await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) })).json().email === 'late@example.test', 'the completed profile');
  t.match((await app.inject({ url: '/profile/me', headers: bearer(token({ sub: userId })) })).json(), { displayName: 'Late Event' });
});
