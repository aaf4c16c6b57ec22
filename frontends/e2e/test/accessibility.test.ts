// axe-core on the main pages: no serious or critical violations, in light and dark themes.
import t from 'tap';
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

  const check = async (path: string, heading: string | RegExp) => {
    await s.page.goto(path);
    await s.page.getByRole('heading', { name: heading }).first().waitFor();
    const violations = await seriousViolations(s.page);
    t.same(violations, [], `${path}: no serious/critical axe violations`);
  };

  await check('/auth/signin', /sign in/i);
  await check('/auth/signup', /open your account/i);
  await signInInUi(s.page, ADMIN.email, ADMIN.password);
  for (const theme of ['light', 'dark']) {
    await s.page.evaluate((th) => localStorage.setItem('bank.theme', th), theme);
    await check('/payments', 'Payments');
    await check('/payments/new', 'New payment');
    await check('/admin', 'Operations dashboard');
    await check('/admin/users', 'Users');
    await check('/admin/audit', 'Audit log');
    await check('/settings', 'Settings');
    await check('/settings/sessions', 'Settings');
  }
}
