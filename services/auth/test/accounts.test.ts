// Sign-up, sign-in, me, refresh rotation and reuse detection, sign-out — against the real
// PostgreSQL and Redis.
import t from 'tap';
import { createVerifier } from 'fast-jwt';
import { createPublicKey } from 'node:crypto';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

t.test('sign-up validates input and refuses duplicate emails', async (t) => {
  const app = await buildAuth(t);
  const email = uniqueEmail();
  const created = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email: email.toUpperCase(), password: PASSWORD, name: 'Alice' } });
  t.equal(created.statusCode, 201);
  t.match(created.json().user, { email, role: 'CUSTOMER', status: 'active' });
  t.notOk('passwordHash' in created.json().user);

  const dup = await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD, name: 'Alice again' } });
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().code, 'AUTH_EMAIL_TAKEN');

  for (const [payload, label] of [
    [{ email: 'not-an-email', password: PASSWORD, name: 'x' }, 'bad email'],
    [{ email: uniqueEmail(), password: 'short', name: 'x' }, 'short password'],
    [{ email: uniqueEmail(), password: PASSWORD }, 'missing name'],
    [{ email: uniqueEmail(), password: PASSWORD, name: 'x', role: 'ADMIN' }, 'cannot choose a role'],
    [{ email: uniqueEmail(), password: PASSWORD, name: '   ' }, 'blank name'],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/auth/signup', payload });
    t.equal(res.statusCode, 400, label);
    t.equal(res.json().code, 'VALIDATION_FAILED', label);
  }
});

t.test('sign-in issues an ES256 token that verifies against the JWKS', async (t) => {
  const app = await buildAuth(t);
  const session = await signUpAndIn(app);
  const jwks = (await app.inject({ url: '/auth/.well-known/jwks.json' })).json();
  t.equal(jwks.keys.length, 1);
  t.match(jwks.keys[0], { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  t.notOk('d' in jwks.keys[0], 'no private part published');
  const pem = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  const claims = createVerifier({ key: pem, algorithms: ['ES256'] })(session.accessToken);
  t.match(claims, { sub: session.user.id, role: 'CUSTOMER', sid: session.sessionId, iss: 'bank-auth', aud: 'bank-api' });
  t.equal(claims.exp - claims.iat, 600, 'access token lives 10 minutes');

  const me = await app.inject({ url: '/auth/me', headers: bearer(session.accessToken) });
  t.equal(me.statusCode, 200);
  t.equal(me.json().user.email, session.email);
  t.equal((await app.inject({ url: '/auth/me' })).statusCode, 401);
});

t.test('wrong password and unknown email get the same 401', async (t) => {
  const app = await buildAuth(t);
  const { email } = await signUpAndIn(app);
  const wrong = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email, password: 'wrong password!!' } });
  const unknown = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: uniqueEmail(), password: PASSWORD } });
  t.equal(wrong.statusCode, 401);
  t.equal(unknown.statusCode, 401);
  t.equal(wrong.json().code, 'AUTH_INVALID_CREDENTIALS');
  t.same({ ...wrong.json(), requestId: 0 }, { ...unknown.json(), requestId: 0 }, 'indistinguishable bodies');
});

t.test('refresh rotates; replaying a used token revokes the session', async (t) => {
  const app = await buildAuth(t);
  const first = await signUpAndIn(app);
  const rotated = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: first.refreshToken } });
  t.equal(rotated.statusCode, 200);
  const second = rotated.json();
  t.not(second.refreshToken, first.refreshToken);
  t.equal(second.sessionId, first.sessionId);
  t.match(rotated.headers['set-cookie'], /refresh_token=.+; Path=\/api\/auth; .*HttpOnly; SameSite=Strict; Secure/);

  const viaCookie = await app.inject({ method: 'POST', url: '/auth/refresh', headers: { cookie: `refresh_token=${second.refreshToken}` } });
  t.equal(viaCookie.statusCode, 200, 'the cookie works as well as the body');
  const third = viaCookie.json();

  const replay = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: first.refreshToken } });
  t.equal(replay.statusCode, 401);
  t.equal(replay.json().code, 'AUTH_REFRESH_TOKEN_REUSED');

  const afterReuse = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: third.refreshToken } });
  t.equal(afterReuse.statusCode, 401, 'the live token of the same session is dead too');
  const me = await app.inject({ url: '/auth/me', headers: bearer(third.accessToken) });
  t.equal(me.statusCode, 401);
  t.equal(me.json().code, 'AUTH_SESSION_REVOKED', 'access tokens of the session are rejected at once');

  const garbage = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: 'x'.repeat(43) } });
  t.equal(garbage.json().code, 'AUTH_INVALID_REFRESH_TOKEN');
  const none = await app.inject({ method: 'POST', url: '/auth/refresh' });
  t.equal(none.statusCode, 401);
});

t.test('without a grace window, concurrent refreshes with one token: exactly one wins', async (t) => {
  const app = await buildAuth(t, { REFRESH_REUSE_GRACE_SECONDS: '0' });
  const s = await signUpAndIn(app);
  const results = await Promise.all(
    Array.from({ length: 5 }, () => app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: s.refreshToken } })),
  );
  t.equal(results.filter((r) => r.statusCode === 200).length, 1);
});

t.test('sign-out revokes the session and its tokens immediately', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const out = await app.inject({ method: 'POST', url: '/auth/signout', headers: bearer(s.accessToken) });
  t.equal(out.statusCode, 204);
  t.match(out.headers['set-cookie'], /refresh_token=; .*Max-Age=0/);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(s.accessToken) })).statusCode, 401);
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode, 401);
});

t.test('every change writes a valid event to the outbox in the same transaction', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  await app.inject({ method: 'POST', url: '/auth/signout', headers: bearer(s.accessToken) });
  const rows = await app.sql<{ event_type: string; payload: { source: string; data: { userId?: string } } }[]>`
    select event_type, payload from outbox order by id`;
  t.same(
    rows.map((r) => r.event_type),
    ['auth.user.registered', 'auth.session.created', 'auth.user.login', 'auth.session.revoked', 'auth.user.logout'],
  );
  t.ok(rows.every((r) => r.payload.source === 'auth' && r.payload.data.userId === s.user.id));
});

t.test('hostile request metadata: a broken refresh cookie is 401, a non-IP X-Forwarded-For never reaches the inet columns', async (t) => {
  const app = await buildAuth(t);
  for (const cookie of ['refresh_token=%E0%A4%A', 'refresh_token=%', 'refresh_token=%ED%A0%80']) {
    const res = await app.inject({ method: 'POST', url: '/auth/refresh', headers: { cookie } });
    t.equal(res.statusCode, 401, cookie);
    t.equal(res.json().code, 'AUTH_INVALID_REFRESH_TOKEN');
  }
  const email = uniqueEmail('xff');
  t.equal((await app.inject({ method: 'POST', url: '/auth/signup', payload: { email, password: PASSWORD, name: 'X F F' } })).statusCode, 201);
  for (const forwarded of ['not-an-ip', '999.1.1.1', 'fe80::1%eth0', '1.2.3.4:80']) {
    const signin = await app.inject({ method: 'POST', url: '/auth/signin', headers: { 'x-forwarded-for': forwarded }, payload: { email, password: PASSWORD } });
    t.equal(signin.statusCode, 200, `sign-in with X-Forwarded-For ${forwarded}`);
    const refreshed = await app.inject({ method: 'POST', url: '/auth/refresh', headers: { 'x-forwarded-for': forwarded }, payload: { refreshToken: signin.json().refreshToken } });
    t.equal(refreshed.statusCode, 200, `refresh with X-Forwarded-For ${forwarded}`);
  }
});
