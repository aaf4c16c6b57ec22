// Module federation in the real deployment: every remote loads (no 404, no console error), React
// and @bank/platform are loaded once, remote CSS arrives, and a missing remote degrades gracefully.
import t from 'tap';
import { launchBrowser, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { signInInUi } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  t.test('every remote loads once, shares one React, with no errors', async (t) => {
    const s = await openSession(browser);
    t.teardown(() => s.context.close());
    const { page } = s;
    await page.goto('/auth/signin');
    await page.getByRole('heading', { name: /sign in/i }).waitFor();
    await screenshot(page, 'signin');
    await signInInUi(page, ADMIN.email, ADMIN.password);
    await page.getByRole('heading', { name: 'Payments' }).waitFor();
    // Client-side navigation keeps the same window, so all remotes end up in one page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Operations dashboard' }).waitFor();

    const markers = await page.evaluate(() => ({
      platformLoads: window.__BANK_PLATFORM_LOADS__,
      apps: Object.keys(window.__BANK_REACT_INSTANCES__ ?? {}).sort(),
      distinctReacts: new Set(Object.values(window.__BANK_REACT_INSTANCES__ ?? {})).size,
    }));
    t.same(markers.apps, ['admin', 'auth', 'payments', 'shell'], 'shell and all three remotes rendered');
    t.equal(markers.distinctReacts, 1, 'one React copy across shell and remotes');
    t.equal(markers.platformLoads, 1, '@bank/platform evaluated once');

    // Shared chunks are named `__federation_shared_<module>-<8-char hash>.js`; the hash may itself
    // contain `-`, so the module name is everything before the last 9 characters. `react` and
    // `react-router` are different shared modules: count each by its exact name.
    const sharedChunks = new Map<string, string[]>();
    for (const url of s.requests) {
      const match = /__federation_shared_(.+)-[\w-]{8}\.js$/.exec(new URL(url).pathname);
      if (match?.[1]) sharedChunks.set(match[1], [...(sharedChunks.get(match[1]) ?? []), url]);
    }
    const reactChunks = sharedChunks.get('react') ?? [];
    t.equal(reactChunks.length, 1, `react chunk fetched once: ${reactChunks.join(', ')}`);
    t.notOk(reactChunks.some((u) => u.includes('/mfe/')), 'react comes from the shell, not a remote');
    const fetchedTwice = [...sharedChunks].filter(([, urls]) => urls.length > 1).map(([name, urls]) => `${name}: ${urls.join(', ')}`);
    t.same(fetchedTwice, [], 'no shared module (react-router, react-query, zustand, …) is fetched twice');
    t.notOk([...sharedChunks.values()].flat().some((u) => u.includes('/mfe/')), 'every shared module comes from the shell');
    for (const remote of ['auth', 'payments', 'admin']) {
      t.ok(s.requests.some((u) => u.endsWith(`/mfe/${remote}/assets/remoteEntry.js`)), `${remote} remoteEntry.js requested`);
    }
    const remoteCss = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"][href*="/mfe/"]')].map((l) => ({ href: l.href, rules: l.sheet?.cssRules.length ?? 0 })),
    );
    t.ok(remoteCss.length >= 2 && remoteCss.every((c) => c.rules > 0), 'remote stylesheets loaded and applied');
    t.same(unexpectedProblems(s), [], 'no 404s, console errors or page errors');
  });

  t.test('a remote that cannot load shows a fallback; the shell keeps working', async (t) => {
    // Without the service worker: page.route cannot answer the worker's own fetch of remoteEntry.js
    // (once it controls the page, it fetches or serves from its precache), so the 404 would not happen.
    const s = await openSession(browser, undefined, { serviceWorkers: 'block' });
    t.teardown(() => s.context.close());
    const { page } = s;
    await page.route('**/mfe/payments/assets/remoteEntry.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/auth/signin');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const fallback = page.getByTestId('remote-fallback');
    await fallback.waitFor();
    t.match(await fallback.innerText(), /Payments is temporarily unavailable/);
    await screenshot(page, 'remote-unavailable');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    t.pass('navigation and the settings page still work');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Operations dashboard' }).waitFor();
    t.pass('another remote still loads');
  });
}
