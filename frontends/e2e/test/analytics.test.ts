// Front-end analytics end to end: a signed-in user's browser reports remote load times, API
// timings and web vitals to the admin service (rows appear in its summary for that user); a user
// who opted out in preferences sends nothing. Then the admin Monitoring page draws its charts.
import t from 'tap';
import { launchBrowser, newApiClient, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

interface Summary {
  metrics: { name: string; count: number }[];
}

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = await newApiClient();
  t.teardown(() => api.dispose());
  // One admin sign-in for the whole file (sign-ins are rate limited); its token lives 10 minutes.
  let adminAccess: string | undefined;
  const adminToken = async () => (adminAccess ??= (await apiSignIn(api, ADMIN.email, ADMIN.password)).accessToken);
  const summaryOf = async (userId: string): Promise<Summary> => {
    const res = await api.get(`/api/admin/analytics/summary?userId=${userId}`, { headers: { authorization: `Bearer ${await adminToken()}` } });
    if (res.status() !== 200) throw new Error(`summary ${res.status()}: ${await res.text()}`);
    return (await res.json()) as Summary;
  };

  /** A short session: sign in, open two pages, interact, then leave (pagehide sends the batch). */
  async function browse(email: string) {
    const s = await openSession(browser);
    await signInInUi(s.page, email);
    await s.page.getByRole('heading').first().waitFor();
    await s.page.goto('/settings/preferences');
    await s.page.getByRole('group', { name: 'Theme' }).waitFor();
    await s.page.getByRole('link', { name: /payments/i }).first().click();
    await s.page.waitForURL('**/payments');
    await s.page.goto('about:blank'); // leaving the app: pagehide flushes with a keepalive request
    return s;
  }

  t.test('a consenting user’s measurements reach the admin service', async (t) => {
    const email = uniqueEmail('analytics');
    await apiSignUp(api, email);
    const { user } = await apiSignIn(api, email);
    const s = await browse(email);
    t.teardown(() => s.context.close());
    // Batches arrive separately (timer, pagehide): poll until every kind has arrived, or 20 s.
    const complete = (s: Summary) => ['api.timing', 'remote.load'].every((n) => s.metrics.some((m) => m.name === n)) && s.metrics.some((m) => m.name.startsWith('web-vital.'));
    let summary: Summary = { metrics: [] };
    for (let i = 0; i < 40 && !complete(summary); i++) {
      summary = await summaryOf(user.id);
      if (!complete(summary)) await new Promise((r) => setTimeout(r, 500));
    }
    const names = summary.metrics.map((m) => m.name);
    t.ok(names.includes('api.timing'), `API timings recorded (${names.join(', ')})`);
    t.ok(names.includes('remote.load'), 'remote load time recorded');
    t.ok(names.some((n) => n.startsWith('web-vital.')), 'web vitals recorded');
    t.same(unexpectedProblems(s), [], 'no console errors or failed requests');
  });

  t.test('a user who opted out sends nothing', async (t) => {
    const email = uniqueEmail('analytics-off');
    await apiSignUp(api, email);
    const { user, accessToken } = await apiSignIn(api, email);
    const opt = await api.patch('/api/profile/me', { headers: { authorization: `Bearer ${accessToken}` }, data: { preferences: { analytics: false } } });
    t.equal(opt.status(), 200, 'opted out in preferences');
    const s = await browse(email);
    t.teardown(() => s.context.close());
    const posted = s.requests.filter((u) => u.includes('/api/admin/analytics'));
    t.same(posted, [], 'no analytics request left the browser');
    t.same((await summaryOf(user.id)).metrics, [], 'no rows for this user');
  });

  t.test('the Monitoring page draws its charts', async (t) => {
    for (const [name, viewport] of [['desktop', { width: 1366, height: 768 }], ['phone', { width: 390, height: 844 }]] as const) {
      const s = await openSession(browser, viewport);
      t.teardown(() => s.context.close());
      await signInInUi(s.page, ADMIN.email, ADMIN.password);
      await s.page.goto('/admin/monitoring');
      await s.page.getByRole('heading', { name: 'Monitoring' }).waitFor();
      await s.page.locator('[data-chart] canvas').first().waitFor({ timeout: 45_000 });
      t.ok((await s.page.locator('[data-chart] canvas').count()) >= 8, `${name}: charts drawn`);
      const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      t.ok(overflow <= 0, `${name}: no horizontal scroll (${overflow}px)`);
      await screenshot(s.page, `monitoring-${name}-light`);
      await s.page.evaluate(() => document.documentElement.classList.add('dark'));
      // The charts are recreated with the dark theme's colours: wait for the new canvases.
      await s.page.locator('[data-chart] canvas').first().waitFor();
      await screenshot(s.page, `monitoring-${name}-dark`);
      t.same(unexpectedProblems(s), [], `${name}: no console errors or failed requests`);
    }
  });
}
