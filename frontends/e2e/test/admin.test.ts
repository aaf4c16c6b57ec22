// Role-based access: customers are kept out of admin (UI and API); an admin changes a user's
// role and finds the change in the audit log.
import t from 'tap';
import { launchBrowser, newApiClient, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  // Sign-ins of other people go through their own cookie jar, never the page's.
  const api = await newApiClient();
  t.teardown(() => api.dispose());

  t.test('a customer cannot open admin pages (UI and API 403)', async (t) => {
    const s = await openSession(browser);
    t.teardown(() => s.context.close());
    const email = uniqueEmail('customer');
    await apiSignUp(api, email);
    await signInInUi(s.page, email);
    t.equal(await s.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin link');
    await s.page.goto('/admin/users');
    await s.page.getByTestId('not-authorised').waitFor();
    t.notOk(s.requests.some((u) => u.includes('/mfe/admin/')), 'the admin remote is not even downloaded');
    await screenshot(s.page, 'not-authorised');
    const { accessToken } = await apiSignIn(api, email);
    for (const path of ['/api/admin/dashboard', '/api/admin/users', '/api/admin/audit']) {
      const res = await api.get(path, { headers: { authorization: `Bearer ${accessToken}` } });
      t.equal(res.status(), 403, `${path} → 403`);
    }
  });

  t.test('an admin changes a user role and sees the audit entries', async (t) => {
    const s = await openSession(browser);
    t.teardown(() => s.context.close());
    const target = uniqueEmail('promote');
    await apiSignUp(api, target, 'E2E Promotee');
    await signInInUi(s.page, ADMIN.email, ADMIN.password);
    await s.page.goto('/admin/users');
    await s.page.getByLabel('Search by name or email').fill(target);
    await s.page.getByRole('button', { name: 'Search' }).click();
    const role = s.page.getByLabel(`Role of ${target}`);
    await role.waitFor();
    await role.selectOption('VENDOR');
    // Nothing changes until the dialog is confirmed; "Keep current role" puts the dropdown back.
    const confirm = s.page.getByRole('dialog', { name: /change this user/i });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Keep current role' }).click();
    await confirm.waitFor({ state: 'hidden' });
    t.equal(await role.inputValue(), 'CUSTOMER', 'cancelled: the role is unchanged');
    t.equal((await apiSignIn(api, target)).user.role, 'CUSTOMER', 'cancelled: nothing was sent');
    await role.selectOption('VENDOR');
    await confirm.getByRole('button', { name: 'Make VENDOR' }).click();
    await s.page.getByText('Role updated').waitFor();
    await screenshot(s.page, 'admin-users');

    const { user } = await apiSignIn(api, target);
    t.equal(user.role, 'VENDOR', 'the new role is effective');

    // A role change is audited as auth.user.updated (data carries the new role). The entry
    // arrives through the event hub, so it may be a moment behind: filter the log by the
    // promoted user's id and look again (reload) until it is listed.
    await s.page.goto('/admin/audit');
    await s.page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const filters = s.page.getByRole('form', { name: 'Filter audit entries' });
    await filters.getByLabel('Event type').selectOption('auth.user.updated');
    await filters.getByLabel('User id').fill(user.id);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    const entry = s.page.locator('[data-audit-type="auth.user.updated"]').filter({ hasText: '"role":"VENDOR"' });
    let found = false;
    for (let attempt = 0; attempt < 10 && !found; attempt++) {
      if (attempt > 0) await s.page.getByRole('button', { name: 'Refresh' }).click();
      found = await entry.first().waitFor({ timeout: 3000 }).then(() => true, () => false);
    }
    t.ok(found, 'the role change is listed in the audit log');
    await screenshot(s.page, 'admin-audit');
    for (const [name, heading] of [['admin-config', 'System configuration'], ['admin-health', 'System health'], ['admin-dead-letters', 'Dead letters'], ['admin-dashboard', 'Operations dashboard']] as const) {
      await s.page.goto(name === 'admin-dashboard' ? '/admin' : `/admin/${name.replace('admin-', '')}`);
      await s.page.getByRole('heading', { name: heading }).waitFor();
      await s.page.locator('[data-loading="true"]').first().waitFor({ state: 'detached' });
      t.equal(await s.page.getByRole('alert').filter({ hasText: 'Could not load' }).count(), 0, `${heading}: its data loaded`);
      await screenshot(s.page, name);
    }
    t.same(unexpectedProblems(s), [], 'no console errors, page errors or failed requests on the admin pages');
  });
}
