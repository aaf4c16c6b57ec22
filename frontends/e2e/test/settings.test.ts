// Settings in the shell: profile changes persist; another device can be signed out from here.
import t from 'tap';
import { launchBrowser, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const s = await openSession(browser);
  t.teardown(() => s.context.close());
  const email = uniqueEmail('settings');
  await apiSignUp(s.context.request, email, 'E2E Settings');
  await signInInUi(s.page, email);

  t.test('a profile change persists after reload', async (t) => {
    const name = `E2E Renamed ${Date.now() % 100000}`;
    await s.page.goto('/settings');
    const field = s.page.getByLabel('Display name');
    await field.fill(name);
    await s.page.getByRole('button', { name: 'Save profile' }).click();
    await s.page.getByText('Profile saved').waitFor();
    await s.page.reload();
    await s.page.getByLabel('Display name').waitFor();
    await s.page.waitForFunction((n) => (document.querySelector('input[autocomplete="name"]') as HTMLInputElement | null)?.value === n, name, { timeout: 15_000 });
    t.pass('display name survived a reload');
    await screenshot(s.page, 'settings-profile');
  });

  t.test('the theme applies immediately', async (t) => {
    await s.page.goto('/settings/preferences');
    await s.page.getByLabel('Dark').check();
    t.ok(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), 'dark class on <html>');
    await screenshot(s.page, 'settings-preferences-dark');
    await s.page.getByLabel('Light').check();
    t.notOk(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), 'back to light');
  });

  t.test('revoking another session from settings', async (t) => {
    const other = await apiSignIn(s.context.request, email, undefined, 'E2E other laptop');
    await s.page.goto('/settings/sessions');
    const otherRow = s.page.locator(`[data-session-id="${other.sessionId}"]`);
    await otherRow.waitFor();
    await screenshot(s.page, 'settings-sessions');
    await otherRow.getByRole('button', { name: /sign out/i }).click();
    await s.page.getByText('Device signed out').waitFor();
    await otherRow.waitFor({ state: 'detached' });
    t.pass('the other session is gone from the list');
    t.ok(await s.page.locator('[data-current="true"]').count() === 1, 'this session is still signed in');
  });
}
