// Concurrent refreshes with one refresh token (two tabs, a retry) get the same successor within
// the grace window; a replay after the window, or after the successor was used, still revokes.
import t from 'tap';
import { openSuccessor, refreshGraceKey, sealSuccessor } from '../src/domain/refresh-grace.ts';
import { hashToken } from '../src/domain/tokens.ts';
import { bearer, buildAuth, signUpAndIn } from './helper.ts';

const refreshWith = (app: Awaited<ReturnType<typeof buildAuth>>, refreshToken: string) =>
  app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });

t.test('the successor is sealed with the old token: only its holder can open it', async (t) => {
  const sealed = sealSuccessor('old-token', 'successor');
  t.equal(openSuccessor('old-token', sealed), 'successor');
  t.equal(openSuccessor('another-token', sealed), undefined, 'another token cannot open it');
  t.equal(openSuccessor('old-token', 'garbage'), undefined);
  t.notMatch(sealed, /successor/);
});

t.test('5 parallel refreshes of one token, 5 trials: all succeed with one successor, the session lives', async (t) => {
  const app = await buildAuth(t);
  for (let trial = 0; trial < 5; trial += 1) {
    const s = await signUpAndIn(app);
    const results = await Promise.all(Array.from({ length: 5 }, () => refreshWith(app, s.refreshToken)));
    t.same(results.map((r) => r.statusCode), [200, 200, 200, 200, 200], `trial ${trial + 1}: no refresh refused`);
    const successors = new Set(results.map((r) => r.json().refreshToken as string));
    t.equal(successors.size, 1, 'every twin got the same successor');
    const [successor] = [...successors];
    for (const r of results) t.equal((await app.inject({ url: '/auth/me', headers: bearer(r.json().accessToken) })).statusCode, 200);
    t.equal((await refreshWith(app, successor!)).statusCode, 200, 'the successor rotates normally');
  }
  t.equal(await app.redis.exists(refreshGraceKey(hashToken('x'))), 0);
});

t.test('cookie refreshes in parallel (two tabs) keep the session', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const cookie = { cookie: `refresh_token=${s.refreshToken}` };
  const [a, b] = await Promise.all([
    app.inject({ method: 'POST', url: '/auth/refresh', headers: cookie }),
    app.inject({ method: 'POST', url: '/auth/refresh', headers: cookie }),
  ]);
  t.equal(a!.statusCode, 200);
  t.equal(b!.statusCode, 200);
  t.equal(a!.json().refreshToken, b!.json().refreshToken);
});

t.test('a replay after the successor was used revokes the session', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const second = (await refreshWith(app, s.refreshToken)).json();
  const third = (await refreshWith(app, second.refreshToken)).json();
  const replay = await refreshWith(app, s.refreshToken);
  t.equal(replay.statusCode, 401);
  t.equal(replay.json().code, 'AUTH_REFRESH_TOKEN_REUSED', 'inside the window, but the successor is spent');
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(third.accessToken) })).json().code, 'AUTH_SESSION_REVOKED');
});

t.test('a replay after the window revokes the session', async (t) => {
  const app = await buildAuth(t, { REFRESH_REUSE_GRACE_SECONDS: '5' });
  const s = await signUpAndIn(app);
  const second = (await refreshWith(app, s.refreshToken)).json();
  const ttl = await app.redis.pttl(refreshGraceKey(hashToken(s.refreshToken)));
  t.ok(ttl > 0 && ttl <= 5_000, `the window is REFRESH_REUSE_GRACE_SECONDS long (${ttl} ms left)`);
  t.equal((await refreshWith(app, s.refreshToken)).statusCode, 200, 'a twin within the window is fine');
  // The window ends (what the key's expiry does on its own).
  await app.redis.del(refreshGraceKey(hashToken(s.refreshToken)));
  const replay = await refreshWith(app, s.refreshToken);
  t.equal(replay.json().code, 'AUTH_REFRESH_TOKEN_REUSED');
  t.equal((await refreshWith(app, second.refreshToken)).statusCode, 401, 'the successor died with the session');
});

t.test('a revoked session gets nothing from the window', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const second = (await refreshWith(app, s.refreshToken)).json();
  await app.inject({ method: 'POST', url: '/auth/signout', headers: bearer(second.accessToken) });
  const twin = await refreshWith(app, s.refreshToken);
  t.equal(twin.statusCode, 401);
});
