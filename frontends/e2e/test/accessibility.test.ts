// axe-core on the main pages: no serious or critical violations, in light and dark themes.
// Every step runs inside a subtest: tap ends the root test as soon as it is idle after an
// assertion once a teardown is registered, which would close the browser mid-way.
import t, { type Test } from 'tap';
import { launchBrowser, openSession } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { seriousViolations } from '../src/axe.ts';
import { signInInUi } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const s = await openSession(browser);
  t.teardown(() => s.context.close());

  const check = async (tt: Test, path: string, heading: string | RegExp) => {
    await s.page.goto(path);
    await s.page.getByRole('heading', { name: heading }).first().waitFor();
    // Wait for the page's data (loaders gone) so axe sees the real content.
    await s.page.locator('[data-loading="true"]').first().waitFor({ state: 'detached' });
    const violations = await seriousViolations(s.page);
    tt.same(violations, [], `${path}: no serious/critical axe violations`);
  };

  t.test('anonymous pages', async (t) => {
    await check(t, '/auth/signin', /sign in/i);
    await check(t, '/auth/signup', /open your account/i);
  });

  /** Sets the theme the way a person does (settings → preferences), so it is also the saved one. */
  const chooseTheme = async (label: 'Light' | 'Dark' | 'Same as my device') => {
    await s.page.goto('/settings/preferences');
    const radio = s.page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: label, exact: true });
    await radio.waitFor();
    // Already the saved theme (the profile outlives a run; the header toggle saves it too): nothing to save.
    if (await radio.isChecked()) return;
    await radio.check();
    await s.page.getByText('Preferences saved').first().waitFor();
  };

  t.test('signed-in pages in both themes', async (t) => {
    await signInInUi(s.page, ADMIN.email, ADMIN.password);
    const before = await s.page.evaluate(() => localStorage.getItem('bank.theme'));
    for (const theme of ['Light', 'Dark'] as const) {
      await chooseTheme(theme);
      for (const [path, heading] of [
        ['/payments', 'Payments'], ['/payments/new', 'New payment'], ['/admin', 'Operations dashboard'], ['/admin/users', 'Users'],
        ['/admin/audit', 'Audit log'], ['/admin/config', 'System configuration'], ['/admin/health', 'System health'],
        ['/admin/dead-letters', 'Dead letters'], ['/settings', 'Settings'], ['/settings/sessions', 'Settings'],
      ] as const) {
        await check(t, path, heading);
        t.equal(await s.page.evaluate(() => document.documentElement.classList.contains('dark')), theme === 'Dark', `${path} is in the ${theme.toLowerCase()} theme`);
      }
    }
    // Leave the shared demo admin with the theme it had (the default is "system").
    await chooseTheme(before === 'light' ? 'Light' : before === 'dark' ? 'Dark' : 'Same as my device');
  });
}
