// Browser error reports (issue 12 item 2): with a Sentry DSN in /config.json the shell's one
// Sentry client reports a remote that fails to load and an unhandled rejection, tagged, with the
// user's id only and no e-mail, password or token; without a DSN the SDK is never loaded.
// The envelopes go to a same-origin `tunnel` path (the CSP's connect-src is 'self') that this
// test answers itself, so it sees exactly what would leave the browser.
import t from 'tap';
import { launchBrowser, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';

const TUNNEL = '/__sentry-e2e-tunnel';

interface EnvelopeItem {
  header: { type?: string };
  payload: {
    tags?: Record<string, string>;
    user?: Record<string, unknown>;
    environment?: string;
    exception?: { values?: Array<{ value?: string; mechanism?: { type?: string } }> };
  };
}

function parseEnvelope(raw: string): EnvelopeItem[] {
  const lines = raw.split('\n').filter(Boolean);
  const items: EnvelopeItem[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) items.push({ header: JSON.parse(lines[i]!), payload: JSON.parse(lines[i + 1]!) });
  return items;
}

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  t.test('a failed remote load and an unhandled rejection reach Sentry, without personal data', async (t) => {
    // Service workers blocked: page.route cannot see the worker's own fetches (the failing remote).
    const s = await openSession(browser, undefined, { serviceWorkers: 'block' });
    t.teardown(() => s.context.close());
    const { page } = s;
    const envelopes: string[] = [];
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as Record<string, unknown>;
      await route.fulfill({
        response,
        json: { ...config, sentry: { dsn: 'https://publickey@errors.example.test/7', tunnel: TUNNEL, environment: 'e2e' } },
      });
    });
    await page.route(`**${TUNNEL}*`, async (route) => {
      envelopes.push(route.request().postData() ?? '');
      await route.fulfill({ status: 200, contentType: 'application/json', body: '{}' });
    });
    await page.route('**/mfe/payments/assets/remoteEntry.js', (route) => route.fulfill({ status: 404, body: 'gone' }));

    await page.goto('/auth/signin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('remote-fallback').waitFor();
    await screenshot(page, 'error-reporting-remote-unavailable');
    await page.evaluate(() => {
      void Promise.reject(new Error('statement export failed for someone@example.com'));
    });

    const events = async () => envelopes.flatMap(parseEnvelope).filter((item) => item.header.type === 'event').map((item) => item.payload);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await events()).length < 2) await page.waitForTimeout(200);
    const received = await events();

    const remoteLoad = received.find((event) => event.tags?.kind === 'remote-load');
    t.ok(remoteLoad, 'the failed remote load was reported');
    t.equal(remoteLoad?.tags?.remote, 'payments', 'tagged with the remote');
    t.equal(remoteLoad?.environment, 'e2e', 'environment from /config.json');
    t.match(remoteLoad?.user, { id: /^[0-9a-f-]{36}$/ }, 'the signed-in user by id');
    t.same(Object.keys(remoteLoad?.user ?? {}), ['id'], 'and nothing else about them');

    const rejection = received.find((event) => event.exception?.values?.some((value) => value.value?.includes('statement export failed')));
    t.ok(rejection, 'the unhandled rejection was reported by the global handler');
    t.match(rejection?.exception?.values?.[0]?.value, /statement export failed for \[email\]/, 'the e-mail in its message is masked');

    const raw = envelopes.join('\n');
    for (const secret of [ADMIN.email, ADMIN.password, 'someone@example.com', 'Bearer ', 'eyJ']) {
      t.notOk(raw.includes(secret), `no ${secret.trim()} in what left the browser`);
    }
  });

  t.test('without a DSN the Sentry SDK is not even loaded', async (t) => {
    const s = await openSession(browser, undefined, { serviceWorkers: 'block' });
    t.teardown(() => s.context.close());
    const { page } = s;
    await page.route('**/mfe/payments/assets/remoteEntry.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/auth/signin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('remote-fallback').waitFor();
    t.equal(await page.evaluate(() => typeof (window as { __SENTRY__?: unknown }).__SENTRY__), 'undefined', 'no Sentry carrier on the page');
    t.same(s.requests.filter((url) => /sentry|envelope/i.test(url)), [], 'no request to Sentry');
  });
}
