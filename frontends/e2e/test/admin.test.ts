// Role-based access: customers are kept out of admin (UI and API); an admin changes a user's
// role and finds the change in the audit log.
import t from 'tap';
import { launchBrowser, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  t.test('a customer cannot open admin pages (UI and API 403)', async (t) => {
    const s = await openSession(browser);
    t.teardown(() => s.context.close());
    const email = uniqueEmail('customer');
    await apiSignUp(s.context.request, email);
    await signInInUi(s.page, email);
    t.equal(await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin link');
    await s.page.goto('/admin/users');
    await s.page.getByTestId('not-authorised').waitFor();
    t.notOk(s.requests.some((u) => u.includes('/mfe/admin/')), 'the admin remote is not even downloaded');
    await screenshot(s.page, 'not-authorised');
    const { accessToken } = await apiSignIn(s.context.request, email);
    for (const path of ['/api/admin/dashboard', '/api/admin/users', '/api/admin/audit']) {
      const res = await s.context.request.get(path, { headers: { authorization: `Bearer ${accessToken}` } });
      t.equal(res.status(), 403, `${path} → 403`);
    }
  });

  t.test('an admin changes a user role and sees the audit entries', async (t) => {
    const s = await openSession(browser);
    t.teardown(() => s.context.close());
    const target = uniqueEmail('promote');
    await apiSignUp(s.context.request, target, 'E2E Promotee');
    await signInInUi(s.page, ADMIN.email, ADMIN.password);
    await s.page.goto('/admin/users');
    await s.page.getByLabel('Search by name or email').fill(target);
    await s.page.getByRole('button', { name: 'Search' }).click();
    const role = s.page.getByLabel(`Role of ${target}`);
    await role.waitFor();
    await role.selectOption('VENDOR');
    await s.page.getByText('Role updated').waitFor();
    await screenshot(s.page, 'admin-users');

    const { user } = await apiSignIn(s.context.request, target);
    t.equal(user.role, 'VENDOR', 'the new role is effective');

    // Audit entries arrive through the event hub: reload until they show up.
    await s.page.goto('/admin/audit');
    let found = 0;
    for (let i = 0; i < 20 && found === 0; i++) {
      await s.page.getByRole('heading', { name: 'Audit log' }).waitFor();
      await s.page.waitForTimeout(1000);
      found = await s.page.locator('[data-audit-type*="role" i]').count();
      if (!found) await s.page.reload();
    }
    t.ok(found > 0, 'a role-change audit entry is listed');
    await screenshot(s.page, 'admin-audit');
    for (const [name, heading] of [['admin-config', 'System configuration'], ['admin-health', 'System health'], ['admin-dead-letters', 'Dead letters'], ['admin-dashboard', 'Operations dashboard']] as const) {
      await s.page.goto(name === 'admin-dashboard' ? '/admin' : `/admin/${name.replace('admin-', '')}`);
      await s.page.getByRole('heading', { name: heading }).waitFor();
      await screenshot(s.page, name);
    }
  });
}
