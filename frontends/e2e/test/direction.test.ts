// Money in both directions, as the recipient sees it: a payment received is listed as received,
// from its sender, with a + amount; it arrives live (no reload); its detail names the sender and
// offers no cancel. The direction filter and the page stay in the URL. With de-DE as the
// language/region preference, amounts and dates follow it.
import t from 'tap';
import { launchBrowser, newApiClient, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { apiSignIn, apiSignUp, signInInUi, uniqueEmail } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const api = await newApiClient();
  t.teardown(() => api.dispose());
  const s = await openSession(browser);
  t.teardown(() => s.context.close());
  const { page } = s;
  const payer = uniqueEmail('sender');
  const payee = uniqueEmail('recipient');

  const payFromPayer = async (amount: number, description: string) => {
    const { accessToken } = await apiSignIn(api, payer);
    const res = await api.post('/api/payments', {
      headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': crypto.randomUUID() },
      data: { recipientEmail: payee, amount, currency: 'EUR', type: 'instant', description },
    });
    if (res.status() !== 201) throw new Error(`payment ${res.status()}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };

  let receivedId = '';
  t.test('a received payment is listed as received, from its sender, and arrives live', async (t) => {
    await apiSignUp(api, payer, 'Sally Sender');
    await apiSignUp(api, payee, 'Rita Recipient');
    await signInInUi(page, payee);
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    t.equal(await page.title(), 'Payments · Northwind Bank', 'the page names the document');
    // Sent while the list is open: the WebSocket brings it in without a reload.
    receivedId = await payFromPayer(2150, 'E2E rent share');
    const row = page.locator(`[data-payment-id="${receivedId}"]`);
    await row.waitFor({ timeout: 15_000 });
    t.match(await row.innerText(), /From Sally Sender/, 'names the sender');
    t.equal(await row.locator('[data-direction]').getAttribute('data-direction'), 'received');
    t.match(await row.locator('[data-direction]').innerText(), /^\+€21\.50$/, 'a signed amount, en-GB by default');
    await screenshot(page, 'payments-received');
  });

  t.test('the direction filter is in the URL and survives a reload', async (t) => {
    await page.getByRole('navigation', { name: 'Direction' }).getByRole('link', { name: 'Sent' }).click();
    await page.waitForURL(/direction=sent/);
    await page.getByText('No payments match these filters').waitFor();
    await page.reload();
    await page.getByText('No payments match these filters').waitFor();
    t.equal(await page.getByRole('link', { name: 'Sent' }).getAttribute('aria-current'), 'page', 'still filtered after reload');
    await page.getByRole('navigation', { name: 'Direction' }).getByRole('link', { name: 'Received' }).click();
    await page.locator(`[data-payment-id="${receivedId}"]`).waitFor();
    t.pass('received filter lists it');
  });

  t.test('the recipient sees the sender on the detail page and cannot cancel', async (t) => {
    await page.locator(`[data-payment-id="${receivedId}"] a`).first().click();
    await page.waitForURL(`**/payments/${receivedId}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    t.equal(await heading.innerText(), '+€21.50');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 5000 });
    t.pass('focus moved to the main heading after navigation');
    t.equal(await page.getByTestId('payment-direction').innerText(), 'Received');
    t.match(await page.locator('dl').innerText(), /Sally Sender/, 'the sender is named');
    t.equal(await page.getByRole('button', { name: 'Cancel payment' }).count(), 0, 'no cancel for a recipient');
    const timeline = await page.getByRole('list', { name: 'Status timeline' }).locator('time').first().innerText();
    t.match(timeline, /\d{2}:\d{2}:\d{2}/, 'the status timeline shows seconds');
  });

  t.test('with de-DE as the preference, amounts and dates follow it', async (t) => {
    await page.goto('/settings/preferences');
    await page.getByLabel('Language and region').selectOption('de-DE');
    await page.getByText('Preferences saved').first().waitFor();
    await page.goto('/payments');
    const amount = page.locator(`[data-payment-id="${receivedId}"] [data-direction]`);
    await amount.waitFor();
    t.match((await amount.innerText()).replace(/\s/g, ' '), /^\+21,50 €$/, 'German number and currency format');
    await page.reload();
    await amount.waitFor();
    t.match((await amount.innerText()).replace(/\s/g, ' '), /^\+21,50 €$/, 'still German after a reload');
    t.equal(await page.evaluate(() => document.documentElement.lang), 'de-DE', 'the document language follows');
    await screenshot(page, 'payments-de-DE');
  });

  t.test('the payer cancels only after confirming', async (t) => {
    const second = await openSession(browser);
    t.teardown(() => second.context.close());
    await signInInUi(second.page, payer);
    // The simulated processor may be quick: cancel whichever pending payment is still pending.
    const id = await payFromPayer(999, 'E2E to cancel');
    await second.page.goto(`/payments/${id}`);
    const cancel = second.page.getByRole('button', { name: 'Cancel payment' });
    const visible = await cancel.waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (!visible) {
      t.comment('the payment left "pending" before the page loaded; the dialog is covered by the admin and payments unit suites');
      return;
    }
    await cancel.click();
    const dialog = second.page.getByRole('dialog', { name: 'Cancel this payment?' });
    await dialog.waitFor();
    t.equal(await second.page.evaluate(() => document.activeElement?.textContent), 'Keep payment', 'the safe choice has the focus');
    await second.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    t.equal(await second.page.getByTestId('payment-status').locator('[data-status]').getAttribute('data-status') !== 'cancelled', true, 'Escape cancels nothing');
  });

  t.test('no unexpected errors', async (t) => {
    t.same(unexpectedProblems(s), []);
  });
}
