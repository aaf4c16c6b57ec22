// GET/PATCH /profile/me: authentication, validation (each failure a 400 problem), the update
// and its profile.profile.updated event in the outbox.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { revokedSessionKey } from '@bank/kit';
import { bearer, buildProfile } from './helper.ts';

t.test('profile API', async (t) => {
  const { app, token } = await buildProfile(t);
  const userId = randomUUID();
  const auth = bearer(token({ sub: userId }));
  const patch = (payload: unknown, headers = auth) => app.inject({ method: 'PATCH', url: '/profile/me', headers, payload: payload as object });
  const outboxOf = async () =>
    (await app.db.execute(sql`select event_type, payload from outbox where aggregate_id = ${userId} order by id`)) as unknown as Array<{
      event_type: string;
      payload: { data: { userId: string; fields: string[] }; source: string };
    }>;

  t.test('authentication', async (t) => {
    const anonymous = await app.inject({ url: '/profile/me' });
    t.equal(anonymous.statusCode, 401);
    t.equal(anonymous.json().code, 'UNAUTHORIZED');
    t.equal((await patch({ bio: 'x' }, {} as typeof auth)).statusCode, 401);
    t.equal((await app.inject({ url: '/profile/me', headers: bearer('not.a.jwt') })).statusCode, 401);
    const sid = randomUUID();
    await app.redis.set(revokedSessionKey(sid), '1', 'EX', 60);
    const revoked = await app.inject({ url: '/profile/me', headers: bearer(token({ sid })) });
    t.equal(revoked.statusCode, 401);
    t.equal(revoked.json().code, 'AUTH_SESSION_REVOKED', 'a revoked session is refused');
  });

  t.test('update, persisted and announced through the outbox', async (t) => {
    const body = {
      displayName: 'Grace',
      phone: '+447700900123',
      address: { line1: '1 Main Street', city: 'London', postalCode: 'SW1A 1AA', country: 'GB' },
      bio: 'Rear admiral',
      avatarUrl: 'https://cdn.example.test/a.png',
      preferences: { theme: 'dark', locale: 'fr-FR', notifications: { sms: true } },
    };
    const res = await patch(body);
    t.equal(res.statusCode, 200);
    t.match(res.json(), {
      userId,
      displayName: 'Grace',
      phone: '+447700900123',
      address: { line1: '1 Main Street', line2: null, city: 'London', postalCode: 'SW1A 1AA', country: 'GB' },
      preferences: { theme: 'dark', locale: 'fr-FR', notifications: { email: true, sms: true, push: true }, analytics: true },
    });
    t.equal(res.headers['cache-control'], 'private, no-cache');
    const read = await app.inject({ url: '/profile/me', headers: auth });
    t.same(read.json(), res.json(), 'the next read returns the update');

    const events = await outboxOf();
    t.equal(events.length, 1);
    t.equal(events[0]?.event_type, 'profile.profile.updated');
    t.equal(events[0]?.payload.source, 'profile');
    t.same(events[0]?.payload.data, {
      userId,
      fields: ['displayName', 'phone', 'address', 'bio', 'avatarUrl', 'preferences.theme', 'preferences.locale', 'preferences.notifications.sms'],
    });

    const same = await patch({ displayName: 'Grace', address: { country: 'GB', postalCode: 'SW1A 1AA', city: 'London', line1: '1 Main Street' } });
    t.equal(same.statusCode, 200);
    t.equal((await outboxOf()).length, 1, 'no event when nothing changed');

    const optOut = await patch({ preferences: { analytics: false } });
    t.equal(optOut.json().preferences.analytics, false, 'analytics opt-out saved');
    t.equal((await app.inject({ url: '/profile/me', headers: auth })).json().preferences.analytics, false, 'and read back');
    t.same((await outboxOf()).at(-1)?.payload.data.fields, ['preferences.analytics']);
    t.equal((await patch({ preferences: { analytics: 'no' } })).statusCode, 400, 'a boolean only');

    const cleared = await patch({ phone: null, bio: 'Computer scientist' });
    t.match(cleared.json(), { phone: null, bio: 'Computer scientist', displayName: 'Grace' });
    t.same((await outboxOf()).at(-1)?.payload.data.fields, ['phone', 'bio']);
  });

  t.test('validation failures are 400 problems', async (t) => {
    const invalid: Array<[string, unknown, string]> = [
      ['empty body', {}, 'VALIDATION_FAILED'],
      ['unknown field', { nickname: 'x' }, 'VALIDATION_FAILED'],
      ['empty display name', { displayName: '' }, 'VALIDATION_FAILED'],
      ['blank display name', { displayName: '   ' }, 'VALIDATION_FAILED'],
      ['display name over 80', { displayName: 'x'.repeat(81) }, 'VALIDATION_FAILED'],
      ['phone not E.164', { phone: '07700 900123' }, 'VALIDATION_FAILED'],
      ['phone too long', { phone: '+1234567890123456' }, 'VALIDATION_FAILED'],
      ['bio over 500', { bio: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      ['avatar over http', { avatarUrl: 'http://cdn.example.test/a.png' }, 'VALIDATION_FAILED'],
      ['avatar over 2048', { avatarUrl: `https://cdn.example.test/${'a'.repeat(2040)}` }, 'VALIDATION_FAILED'],
      ['avatar javascript', { avatarUrl: 'javascript:alert(1)' }, 'VALIDATION_FAILED'],
      ['address missing city', { address: { line1: 'a', postalCode: '1', country: 'GB' } }, 'VALIDATION_FAILED'],
      ['address extra field', { address: { line1: 'a', city: 'b', postalCode: '1', country: 'GB', state: 'x' } }, 'VALIDATION_FAILED'],
      ['country lower case', { address: { line1: 'a', city: 'b', postalCode: '1', country: 'gb' } }, 'VALIDATION_FAILED'],
      ['country alpha-3', { address: { line1: 'a', city: 'b', postalCode: '1', country: 'GBR' } }, 'VALIDATION_FAILED'],
      ['country unassigned', { address: { line1: 'a', city: 'b', postalCode: '1', country: 'QQ' } }, 'PROFILE_INVALID_COUNTRY'],
      ['theme unknown', { preferences: { theme: 'neon' } }, 'VALIDATION_FAILED'],
      ['locale not allowed', { preferences: { locale: 'xx-YY' } }, 'VALIDATION_FAILED'],
      ['notifications not boolean', { preferences: { notifications: { email: 'yes' } } }, 'VALIDATION_FAILED'],
      ['notifications extra channel', { preferences: { notifications: { fax: true } } }, 'VALIDATION_FAILED'],
      ['preferences extra field', { preferences: { fontSize: 12 } }, 'VALIDATION_FAILED'],
    ];
    const before = (await outboxOf()).length;
    for (const [label, body, code] of invalid) {
      const res = await patch(body);
      t.equal(res.statusCode, 400, label);
      t.equal(res.json().code, code, `${label}: ${code}`);
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${label}: problem body`);
    }
    t.equal((await outboxOf()).length, before, 'no event for a rejected update');
    t.equal((await app.inject({ url: '/profile/me', headers: auth })).json().displayName, 'Grace', 'nothing changed');
  });
});
