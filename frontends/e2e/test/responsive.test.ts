// Small screens: the main navigation collapses into a menu button that still reaches every page.
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
  await signInInUi(s.page, ADMIN.email, ADMIN.password);
  await s.page.getByRole('button', { name: 'Open navigation' }).click();
  await s.page.getByRole('navigation', { name: 'Main (mobile)' }).getByRole('link', { name: 'Settings' }).click();
  await s.page.getByRole('heading', { name: 'Settings' }).waitFor();
  t.pass('mobile navigation works');
  await screenshot(s.page, 'mobile-settings');
}
