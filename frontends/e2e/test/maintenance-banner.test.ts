// An admin switches maintenance on in the configuration page; a signed-in customer's shell shows
// the maintenance banner without reloading (the shell polls the public configuration), new
// payments are refused meanwhile, and the banner goes away when the admin switches it off.
import t from 'tap';
import { launchBrowser, newApiClient, openSession, screenshot } from '../src/browser.ts';
import { ADMIN } from '../src/env.ts';
import { apiSignIn, signInInUi, signUpInUi, uniqueEmail } from '../src/flows.ts';
import { requireStack } from '../src/stack.ts';

const BANNER = /Maintenance in progress/;

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const admin = await openSession(browser, { width: 1366, height: 768 });
  const customer = await openSession(browser, { width: 390, height: 844 });
  t.teardown(() => Promise.all([admin.context.close(), customer.context.close()]));
  // Whatever happens, maintenance ends with the test (other suites pay on this platform).
  t.teardown(async () => {
    const api = await newApiClient();
    const { accessToken } = await apiSignIn(api, ADMIN.email, ADMIN.password, 'E2E cleanup');
    await api.put('/api/admin/config/platform.maintenance', { data: { value: false }, headers: { authorization: `Bearer ${accessToken}` } });
    await api.dispose();
  });

  /** Sets platform.maintenance through the configuration page, as an admin does. */
  async function setMaintenance(value: boolean) {
    const page = admin.page;
    await page.goto('/admin/config');
    await page.getByRole('heading', { name: 'System configuration' }).waitFor();
    const edit = page.getByRole('button', { name: 'Edit platform.maintenance' });
    await page.locator('table, [data-empty]').first().waitFor().catch(() => undefined);
    if (await edit.count()) await edit.click();
    else {
      // With no keys yet the page offers "Add key" twice (header and empty state): either will do.
      await page.getByRole('button', { name: 'Add key' }).first().click();
      await page.getByRole('dialog').getByLabel('Key').selectOption('platform.maintenance');
    }
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Value (JSON)').fill(JSON.stringify(value));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  const email = uniqueEmail('banner');
  t.test('a customer and an admin are signed in', async (t) => {
    await signUpInUi(customer.page, 'E2E Banner', email);
    await signInInUi(customer.page, email);
    await signInInUi(admin.page, ADMIN.email, ADMIN.password);
    t.equal(await customer.page.getByText(BANNER).count(), 0, 'no banner before');
  });

  t.test('maintenance on: the customer sees the banner without reloading', async (t) => {
    await setMaintenance(true);
    const switchedAt = Date.now();
    await customer.page.getByText(BANNER).waitFor({ timeout: 20_000 });
    const seconds = (Date.now() - switchedAt) / 1000;
    t.comment(`banner shown ${seconds.toFixed(1)} s after the change (the shell polls every 15 s)`);
    t.ok(seconds <= 20, 'within the polling interval');
    await screenshot(customer.page, 'maintenance-banner-phone');
    // The customer's other device tries to pay meanwhile.
    const device = await newApiClient();
    const { accessToken } = await apiSignIn(device, email);
    const attempt = await device.post('/api/payments', {
      data: { recipientEmail: ADMIN.email, amount: 100, currency: 'EUR', type: 'instant' },
      headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': crypto.randomUUID() },
    });
    t.equal(attempt.status(), 503, 'new payments are refused during maintenance');
    t.equal((await attempt.json()).code, 'PAYMENTS_MAINTENANCE');
    await device.dispose();
  });

  t.test('maintenance off: the banner goes away', async (t) => {
    await setMaintenance(false);
    await customer.page.getByText(BANNER).waitFor({ state: 'detached', timeout: 20_000 });
    t.pass('banner gone');
  });
}
