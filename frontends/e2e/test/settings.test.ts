// Settings in the shell: profile changes persist; the theme applies at once; another device can
// be signed out from here.
import t from 'tap';
import { launchBrowser, newApiClient, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  // The "other device" signs in with its own cookie jar, so the page keeps its own session.
  const otherDevice = await newApiClient();
  t.teardown(() => otherDevice.dispose());
  const s = await openSession(browser);
  t.teardown(() => s.context.close());
  const email = uniqueEmail('settings');

  t.test('sign up and in', async (t) => {
    await apiSignUp(otherDevice, email, 'E2E Settings');
    await signInInUi(s.page, email);
    t.pass('signed in');
  });

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
    // The radios of the Theme group (the header's quick toggle is a button named "Switch to …").
    const theme = s.page.getByRole('group', { name: 'Theme' });
    await theme.getByRole('radio', { name: 'Dark', exact: true }).check();
    t.ok(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), 'dark class on <html>');
    await s.page.getByText('Preferences saved').first().waitFor();
    await screenshot(s.page, 'settings-preferences-dark');
    await theme.getByRole('radio', { name: 'Light', exact: true }).check();
    t.notOk(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), 'back to light');
    await s.page.reload();
    await s.page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Light', exact: true }).waitFor();
    t.ok(await s.page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Light', exact: true }).isChecked(), 'the choice was saved');
  });

  t.test('the header theme toggle is saved: a reload keeps it', async (t) => {
    await s.page.goto('/payments');
    await s.page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    const saved = s.page.waitForResponse((r) => r.url().endsWith('/api/profile/me') && r.request().method() === 'PATCH');
    await s.page.getByRole('button', { name: 'Switch to dark theme' }).click();
    t.equal((await saved).status(), 200, 'saved to the profile');
    await s.page.reload();
    await s.page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    await s.page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    t.ok(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), 'still dark after the profile loaded');
    await s.page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  t.test('revoking another session from settings', async (t) => {
    const other = await apiSignIn(otherDevice, email, undefined, 'E2E other laptop');
    await s.page.goto('/settings/sessions');
    const otherRow = s.page.locator(`[data-session-id="${other.sessionId}"]`);
    await otherRow.waitFor();
    t.equal(await otherRow.getAttribute('data-current'), 'false', 'the other device is not this session');
    await screenshot(s.page, 'settings-sessions');
    await otherRow.getByRole('button', { name: /sign out/i }).click();
    await s.page.getByText('Device signed out').waitFor();
    await otherRow.waitFor({ state: 'detached' });
    t.pass('the other session is gone from the list');
    t.equal(await s.page.locator('[data-current="true"]').count(), 1, 'this session is still signed in');
    const revoked = await otherDevice.get('/api/auth/me', { headers: { authorization: `Bearer ${other.accessToken}` } });
    t.equal(revoked.status(), 401, "the other device's token no longer works");
  });
}
