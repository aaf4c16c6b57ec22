// Small screens: the main navigation collapses into a menu button that still reaches every page.
// The steps run inside a subtest: tap ends an idle root test (once a teardown is registered)
// right after an assertion, which would close the browser before the screenshot.
import t from 'tap';
import { launchBrowser, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { signInInUi } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const s = await openSession(browser, { width: 390, height: 844 });
  t.teardown(() => s.context.close());

  t.test('the mobile menu reaches every page', async (t) => {
    await signInInUi(s.page, ADMIN.email, ADMIN.password);
    t.notOk(await s.page.getByRole('navigation', { name: 'Main', exact: true }).isVisible(), 'the desktop navigation is hidden');
    for (const [link, heading] of [['Settings', 'Settings'], ['Admin', 'Operations dashboard'], ['Payments', 'Payments']] as const) {
      const toggle = s.page.getByRole('button', { name: 'Open navigation' });
      await toggle.click();
      await s.page.getByRole('navigation', { name: 'Main (mobile)' }).getByRole('link', { name: link }).click();
      await s.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      t.equal(await s.page.getByRole('navigation', { name: 'Main (mobile)' }).count(), 0, `${link}: the menu closes after navigating`);
    }
    await s.page.getByRole('button', { name: 'Open navigation' }).click();
    await s.page.getByRole('navigation', { name: 'Main (mobile)' }).getByRole('link', { name: 'Settings' }).click();
    await s.page.getByRole('heading', { name: 'Settings' }).waitFor();
    await s.page.locator('[data-loading="true"]').first().waitFor({ state: 'detached' });
    const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    t.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(s.page, 'mobile-settings');
  });
}
