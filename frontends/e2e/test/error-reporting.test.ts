// Browser error reports (issue 12 item 2): with a Sentry DSN in /config.json the shell's one
// Sentry client reports a remote that fails to load and an unhandled rejection, tagged, with the
// user's id only and no e-mail, password or token; without a DSN the SDK is never loaded.
// The whole way, with the edge's CSP (connect-src 'self') in force: the page posts to the
// gateway's same-origin tunnel (/api/monitoring/sentry-tunnel, the default `tunnel`), through
// nginx, and the gateway forwards to the DSN's host — here a local HTTP receiver standing in for
// Sentry, on the port of SENTRY_DSN (the gateway's BROWSER_SENTRY_DSN in the e2e run).
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN, BASE_URL, REQUIRED, SENTRY_DSN } from '../src/env.ts';

const TUNNEL = '/api/monitoring/sentry-tunnel';

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

/** Sentry's ingest, as far as the test needs it: records each envelope POSTed to it. */
async function startSentryReceiver(t: { teardown(fn: () => unknown): void }) {
  const received: Array<{ url: string; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const { hostname, port } = new URL(SENTRY_DSN);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), hostname, resolve);
  });
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return received;
}

/** Whether the platform's gateway forwards for SENTRY_DSN: an empty body is a 400 then, a 404 without a tunnel. */
/** Serves the platform's /config.json with these Sentry settings added. */
async function withSentryConfig(page: Page, sentry: Record<string, string>): Promise<void> {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...config, sentry } });
  });
}

function tunnelConfigured(): Promise<boolean> {
  const url = new URL(TUNNEL, BASE_URL);
  const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    // The native stack's self-signed certificate is accepted here as in src/stack.ts.
    const req = make(url, { method: 'POST', rejectUnauthorized: false, timeout: 5000, headers: { 'content-type': 'text/plain' } }, (res) => {
      res.resume();
      resolve(res.statusCode === 400);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  t.test('a failed remote load and an unhandled rejection reach Sentry through the tunnel, without personal data', async (t) => {
    if (!(await tunnelConfigured())) {
      const note = `the gateway has no Sentry tunnel for ${SENTRY_DSN} (start the platform with GATEWAY_BROWSER_SENTRY_DSN or BROWSER_SENTRY_DSN set to it)`;
      if (REQUIRED) t.fail(note);
      else t.plan(0, note);
      return;
    }
    const received = await startSentryReceiver(t);
    // Service workers blocked: page.route cannot see the worker's own fetches (the failing remote).
    const s = await openSession(browser, undefined, { serviceWorkers: 'block' });
    t.teardown(() => s.context.close());
    const { page } = s;
    await withSentryConfig(page, { dsn: SENTRY_DSN, tunnel: TUNNEL, environment: 'e2e' });
    await page.route('**/mfe/payments/assets/remoteEntry.js', (route) => route.fulfill({ status: 404, body: 'gone' }));

    const document = await page.goto('/auth/signin');
    t.match(document?.headers()['content-security-policy'], /connect-src 'self';/, "the page's CSP allows its own origin only");
    t.notMatch(document?.headers()['content-security-policy'], /127\.0\.0\.1|sentry/, 'and not the DSN\'s host');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('remote-fallback').waitFor();
    await screenshot(page, 'error-reporting-remote-unavailable');
    await page.evaluate(() => {
      void Promise.reject(new Error('statement export failed for someone@example.com'));
    });

    const events = () => received.flatMap((r) => parseEnvelope(r.body)).filter((item) => item.header.type === 'event').map((item) => item.payload);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && events().length < 2) await page.waitForTimeout(200);
    t.ok(received.length > 0 && received.every((r) => r.url === `${new URL(SENTRY_DSN).pathname.replace(/\/(\d+)$/, '/api/$1')}/envelope/`), "every envelope arrived at the DSN's envelope endpoint", { urls: received.map((r) => r.url) });
    t.same(s.requests.filter((url) => url.includes(new URL(SENTRY_DSN).host)), [], "the page itself never contacted the DSN's host");
    const reported = events();

    const remoteLoad = reported.find((event) => event.tags?.kind === 'remote-load');
    t.ok(remoteLoad, 'the failed remote load was reported');
    t.equal(remoteLoad?.tags?.remote, 'payments', 'tagged with the remote');
    t.equal(remoteLoad?.environment, 'e2e', 'environment from /config.json');
    t.match(remoteLoad?.user, { id: /^[0-9a-f-]{36}$/ }, 'the signed-in user by id');
    t.same(Object.keys(remoteLoad?.user ?? {}), ['id'], 'and nothing else about them');

    const rejection = reported.find((event) => event.exception?.values?.some((value) => value.value?.includes('statement export failed')));
    t.ok(rejection, 'the unhandled rejection was reported by the global handler');
    t.match(rejection?.exception?.values?.[0]?.value, /statement export failed for \[email\]/, 'the e-mail in its message is masked');

    const raw = received.map((r) => r.body).join('\n');
    for (const secret of [ADMIN.email, ADMIN.password, 'someone@example.com', 'Bearer ', 'eyJ']) {
      t.notOk(raw.includes(secret), `no ${secret.trim()} in what left the browser`);
    }
  });

  t.test("without the tunnel the CSP blocks the report to the DSN's host (so the tunnel is what carries them)", async (t) => {
    const received = await startSentryReceiver(t);
    const s = await openSession(browser, undefined, { serviceWorkers: 'block' });
    t.teardown(() => s.context.close());
    const { page } = s;
    await withSentryConfig(page, { dsn: SENTRY_DSN, environment: 'e2e' });
    const blocked = page.waitForEvent('console', { predicate: (m) => /Content Security Policy/.test(m.text()) && m.text().includes(new URL(SENTRY_DSN).host), timeout: 15_000 });
    await page.goto('/auth/signin');
    await page.waitForFunction(() => typeof (window as { __SENTRY__?: unknown }).__SENTRY__ === 'object');
    await page.evaluate(() => {
      void Promise.reject(new Error('report without a tunnel'));
    });
    t.match((await blocked).text(), /connect-src/, "the browser refused the connection to the DSN's host (connect-src 'self')");
    t.equal(received.length, 0, 'nothing reached the receiver');
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
