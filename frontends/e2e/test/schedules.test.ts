// Scheduled and recurring payments in the payments remote: set one up of each kind, see their
// upcoming dates, pause one and cancel the other — at phone size (390×844), where the schedule
// cards must still work, and checked at desktop size through the same list.
import type { Locator } from 'playwright-core';
import t from 'tap';
import { launchBrowser, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { signInInUi, signUpInUi, uniqueEmail } from '../src/flows.ts';

/** YYYY-MM-DD of today + `days` in the browser's zone (the form's zone). */
const dayValues = (scope: Locator) =>
  scope.getByRole('list', { name: 'Upcoming payment dates' }).locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
const localDay = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const s = await openSession(browser, { width: 390, height: 844 });
  t.teardown(() => s.context.close());
  const { page } = s;
  const email = uniqueEmail('scheduler');
  const recipient = uniqueEmail('landlord');
  const card = (description: string) => page.getByTestId('schedule').filter({ hasText: description });

  t.test('sign up and in on a phone', async (t) => {
    const r = await s.context.request.post('/api/auth/signup', { data: { email: recipient, password: 'E2e-Passw0rd-2026', name: 'E2E Landlord' } });
    t.equal(r.status(), 201, 'recipient created');
    await signUpInUi(page, 'E2E Scheduler', email);
    await signInInUi(page, email);
    t.match(page.url(), /\/payments$/);
  });

  t.test('a scheduled payment: one date, shown as upcoming', async (t) => {
    await page.goto('/payments/new');
    await page.getByLabel('Recipient email').fill(recipient);
    await page.getByLabel('Amount').fill('42.00');
    await page.getByLabel('Payment type').selectOption('scheduled');
    await page.getByLabel('Execution date').fill(localDay(3));
    await page.getByLabel('Description (optional)').fill('E2E one-off');
    // Nothing is set up before the review dialog is confirmed.
    await page.getByRole('button', { name: 'Review payment' }).click();
    await page.getByRole('dialog', { name: 'Check your payment' }).getByRole('button', { name: 'Schedule payment' }).click();
    await page.waitForURL('**/payments/schedules');
    await card('E2E one-off').waitFor();
    // The dates are shown in the user's locale; their machine-readable value is the ISO day.
    t.same(await dayValues(card('E2E one-off')), [localDay(3)], 'its one date is upcoming');
    t.equal(await card('E2E one-off').locator('[data-status]').getAttribute('data-status'), 'active');
  });

  t.test('a recurring payment: monthly, three payments, upcoming dates listed', async (t) => {
    await page.goto('/payments/new');
    await page.getByLabel('Recipient email').fill(recipient);
    await page.getByLabel('Amount').fill('850');
    await page.getByLabel('Payment type').selectOption('recurring');
    await page.getByLabel('Frequency').selectOption('monthly');
    await page.getByLabel('Start date').fill(localDay(1));
    await page.getByLabel('Ends').selectOption('count');
    await page.getByLabel('Number of payments').fill('3');
    await page.getByLabel('Description (optional)').fill('E2E rent');
    // Nothing is set up before the review dialog is confirmed.
    await page.getByRole('button', { name: 'Review payment' }).click();
    await page.getByRole('dialog', { name: 'Check your payment' }).getByRole('button', { name: 'Set up recurring payment' }).click();
    await page.waitForURL('**/payments/schedules');
    await card('E2E rent').waitFor();
    const dates = await dayValues(card('E2E rent'));
    t.equal(dates.length, 3, `three upcoming dates: ${dates.join(', ')}`);
    t.equal(dates[0], localDay(1), 'starting on the start date');
    t.ok(dates[1]! > dates[0]! && dates[2]! > dates[1]!, 'one a month, in order');
    await screenshot(page, 'schedules-phone');
  });

  t.test('pause the recurring payment', async (t) => {
    await card('E2E rent').getByRole('button', { name: 'Pause' }).click();
    await card('E2E rent').locator('[data-status="paused"]').waitFor();
    await card('E2E rent').getByRole('button', { name: 'Resume' }).waitFor();
    t.pass('paused, with Resume offered');
  });

  t.test('cancel the scheduled payment (after confirming)', async (t) => {
    await card('E2E one-off').getByRole('button', { name: 'Cancel schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this schedule?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel schedule' }).click();
    await card('E2E one-off').locator('[data-status="cancelled"]').waitFor();
    t.equal(await card('E2E one-off').getByText('No upcoming payments.').count(), 1, 'nothing upcoming once cancelled');
    t.equal(await card('E2E one-off').getByRole('button').count(), 0, 'no actions left on a cancelled schedule');
  });

  t.test('the same list at desktop size after a reload', async (t) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.reload();
    await card('E2E rent').locator('[data-status="paused"]').waitFor();
    await card('E2E one-off').locator('[data-status="cancelled"]').waitFor();
    await screenshot(page, 'schedules-desktop');
    t.same(unexpectedProblems(s), [], 'no console errors or failed requests');
  });
}
