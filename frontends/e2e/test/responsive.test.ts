// Every page at a phone (360 px), a tablet (768 px) and a desktop (1366 px), as a customer and as
// an admin: no horizontal scrolling (the document is no wider than the window), the fields that
// matter visible on screen (a payment's amount and status, a user's role and disable controls),
// filters folded behind a button on a phone; the mobile menu reaches every page. Screenshots of
// each page and width are kept in artifacts/responsive/ (git-ignored; the path is printed).
// The steps run inside subtests: tap ends an idle root test (once a teardown is registered)
// right after an assertion, which would close the browser before the screenshot.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser, newApiClient, openSession, screenshot } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { ADMIN } from '../src/env.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

const WIDTHS = [360, 768, 1366] as const;
const HEIGHT = 800;

const CUSTOMER_PAGES = [
  ['/payments', 'Payments'], ['/payments/new', 'New payment'], ['/payments/schedules', /schedules/i],
  ['/settings', 'Settings'], ['/settings/preferences', 'Settings'], ['/settings/sessions', 'Settings'],
] as const;
const ADMIN_PAGES = [
  ['/admin', 'Operations dashboard'], ['/admin/users', 'Users'], ['/admin/audit', 'Audit log'], ['/admin/config', 'System configuration'],
  ['/admin/health', 'System health'], ['/admin/dead-letters', 'Dead letters'],
] as const;

/** On screen: rendered, and its box inside the window horizontally. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const width = await page.evaluate(() => innerWidth);
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5;
}

const overflowOf = (page: Page) => page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - innerWidth);

async function visit(t: Test, page: Page, path: string, heading: string | RegExp, name: string) {
  await page.goto(path);
  await page.getByRole('heading', { name: heading, level: 1 }).first().waitFor();
  await page.locator('[data-loading="true"]').first().waitFor({ state: 'detached' });
  const overflow = await overflowOf(page);
  t.ok(overflow <= 0, `${name}: no horizontal scrolling (document ${overflow}px wider than the window)`);
  await screenshot(page, join('responsive', name));
}

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = await newApiClient();
  t.teardown(() => api.dispose());
  t.comment(`screenshots: ${join(ARTIFACTS, 'responsive')}`);

  // A customer with one payment sent and one received, so the lists have both kinds of rows.
  const customer = uniqueEmail('responsive');
  const other = uniqueEmail('responsive-other');
  let paymentId = '';
  t.test('set up a customer with payments in both directions', async (t) => {
    await apiSignUp(api, customer, 'Responsive Customer');
    await apiSignUp(api, other, 'Responsive Counterparty');
    for (const [from, to, amount] of [[customer, other, 1250], [other, customer, 4000]] as const) {
      const { accessToken } = await apiSignIn(api, from);
      const res = await api.post('/api/payments', {
        headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': crypto.randomUUID() },
        data: { recipientEmail: to, amount, currency: 'EUR', type: 'instant', description: 'Responsive check with a rather long description' },
      });
      t.equal(res.status(), 201, `payment ${amount}`);
      paymentId = ((await res.json()) as { id: string }).id;
    }
  });

  for (const width of WIDTHS) {
    t.test(`customer pages at ${width}px`, async (t) => {
      const s = await openSession(browser, { width, height: HEIGHT });
      t.teardown(() => s.context.close());
      for (const [path, heading] of [['/auth/signin', /sign in/i], ['/auth/signup', /open your account/i]] as const) {
        await visit(t, s.page, path, heading, `${width}-customer${path.replaceAll('/', '-')}`);
      }
      await signInInUi(s.page, customer);
      for (const [path, heading] of CUSTOMER_PAGES) await visit(t, s.page, path, heading, `${width}-customer${path.replaceAll('/', '-')}`);

      await visit(t, s.page, '/payments', 'Payments', `${width}-customer-payments`);
      const row = s.page.locator(`[data-payment-id="${paymentId}"]`);
      await row.waitFor();
      t.ok(await onScreen(s.page, row.locator('[data-direction]')), `${width}: the amount is on screen`);
      t.match(await row.locator('[data-direction]').innerText(), /^\+/, `${width}: a received amount is signed +`);
      t.ok(await onScreen(s.page, row.locator('[data-status]')), `${width}: the status is on screen`);
      t.ok(await onScreen(s.page, row.getByText(/Responsive Counterparty/)), `${width}: the counterparty is on screen`);
      const filtersButton = s.page.getByRole('button', { name: /^Filters/ });
      const statusFilter = s.page.getByRole('form', { name: 'Filter payments' }).getByLabel('Status');
      if (width < 640) {
        t.notOk(await statusFilter.isVisible(), `${width}: the filters are folded away`);
        await filtersButton.click();
        t.ok(await statusFilter.isVisible(), `${width}: the Filters button shows them`);
        // Open, the button says "Hide filters".
        t.equal(await s.page.getByRole('button', { name: /^Hide filters/ }).getAttribute('aria-expanded'), 'true');
      } else {
        t.ok(await statusFilter.isVisible(), `${width}: the filters are shown`);
        t.notOk(await filtersButton.isVisible(), `${width}: no Filters button`);
      }
      await visit(t, s.page, `/payments/${paymentId}`, /€/, `${width}-customer-payment-detail`);
    });

    t.test(`admin pages at ${width}px`, async (t) => {
      const s = await openSession(browser, { width, height: HEIGHT });
      t.teardown(() => s.context.close());
      await signInInUi(s.page, ADMIN.email, ADMIN.password);
      for (const [path, heading] of ADMIN_PAGES) await visit(t, s.page, path, heading, `${width}-admin${path.replaceAll('/', '-')}`);
      await s.page.goto('/admin/users');
      await s.page.getByLabel('Search by name or email').fill(customer);
      await s.page.getByRole('button', { name: 'Search' }).click();
      const role = s.page.getByLabel(`Role of ${customer}`);
      await role.waitFor();
      t.ok(await onScreen(s.page, role), `${width}: the role control is on screen`);
      t.ok(await onScreen(s.page, s.page.getByRole('button', { name: `Disable ${customer}` })), `${width}: the disable control is on screen`);
      t.ok((await overflowOf(s.page)) <= 0, `${width}: users search result without horizontal scrolling`);
      await screenshot(s.page, join('responsive', `${width}-admin-users-search`));
      await visit(t, s.page, '/payments', 'Payments', `${width}-admin-payments`);
    });
  }

  t.test('the mobile menu reaches every page', async (t) => {
    const s = await openSession(browser, { width: 390, height: 844 });
    t.teardown(() => s.context.close());
    await signInInUi(s.page, ADMIN.email, ADMIN.password);
    t.notOk(await s.page.getByRole('navigation', { name: 'Main', exact: true }).isVisible(), 'the desktop navigation is hidden');
    for (const [link, heading] of [['Settings', 'Settings'], ['Admin', 'Operations dashboard'], ['Payments', 'Payments']] as const) {
      const toggle = s.page.getByRole('button', { name: 'Open navigation' });
      await toggle.click();
      await s.page.getByRole('navigation', { name: 'Main (mobile)' }).getByRole('link', { name: link }).click();
      await s.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      t.equal(await s.page.getByRole('navigation', { name: 'Main (mobile)' }).count(), 0, `${link}: the menu closes after navigating`);
    }
  });
}
