// The customer journey: sign up, sign in, pay, follow the payment to its final status, find it
// in the list; and a payment the simulated processor rejects shows why.
import t from 'tap';
import { launchBrowser, openSession, screenshot, unexpectedProblems } from '../src/browser.ts';
import { requireStack } from '../src/stack.ts';
import { createPaymentInUi, signInInUi, signUpInUi, uniqueEmail, waitForFinalStatus } from '../src/flows.ts';

if (await requireStack(t)) {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const s = await openSession(browser);
  t.teardown(() => s.context.close());
  const { page } = s;
  const email = uniqueEmail('payer');
  const recipient = uniqueEmail('payee');

  t.test('sign up, then sign in', async (t) => {
    // The recipient must exist for a payment by email.
    const r = await s.context.request.post('/api/auth/signup', { data: { email: recipient, password: 'E2e-Passw0rd-2026', name: 'E2E Payee' } });
    t.equal(r.status(), 201, 'recipient created');
    await signUpInUi(page, 'E2E Payer', email);
    await screenshot(page, 'signin-after-signup');
    await signInInUi(page, email);
    t.match(page.url(), /\/payments$/);
  });

  t.test('client-side validation explains mistakes', async (t) => {
    await page.goto('/payments/new');
    await page.getByLabel('Amount').fill('12.345');
    await page.getByRole('button', { name: 'Review payment' }).click();
    await page.getByText(/at most 2 decimals/).waitFor();
    t.equal(await page.getByRole('dialog').count(), 0, 'no review of an invalid payment');
    t.pass('three decimals in EUR rejected before any request');
  });

  let paymentId = '';
  t.test('create a payment; it reaches its final status on the detail page', async (t) => {
    paymentId = await createPaymentInUi(page, { recipient, amount: '12.50', description: 'E2E dinner' });
    const status = await waitForFinalStatus(page);
    t.equal(status, 'completed', 'payment completed');
    t.ok(await page.getByRole('list', { name: 'Status timeline' }).locator('li').count() >= 2, 'timeline shows the transitions');
    await screenshot(page, 'payment-detail');
  });

  t.test('the payment appears once in the list', async (t) => {
    const before = s.requests.length;
    await page.goto('/payments');
    await page.locator(`[data-payment-id="${paymentId}"]`).waitFor();
    t.equal(await page.locator(`[data-payment-id="${paymentId}"]`).count(), 1);
    // Loading the list's default view asks for its first page once: public/early-requests.js asks,
    // the payments remote takes that answer, and neither the shell's prefetch nor the list asks again.
    t.equal(s.requests.slice(before).filter((url) => url.endsWith('/api/payments?limit=20')).length, 1, 'the first page asked for once');
    // The double click in the previous test must not have created a second payment.
    t.equal(await page.getByRole('row').filter({ hasText: 'E2E dinner' }).count(), 1, 'double click paid once');
    await screenshot(page, 'payments-list');
  });

  t.test('a payment the processor rejects shows its failure', async (t) => {
    await createPaymentInUi(page, { recipient, amount: '10.13', description: 'E2E FAIL please' });
    const status = await waitForFinalStatus(page);
    t.equal(status, 'failed');
    const failure = page.getByTestId('payment-failure');
    t.ok(await failure.isVisible(), 'failure alert shown');
    t.ok((await failure.innerText()).trim().length > 'Payment failed'.length, 'with a reason');
    await screenshot(page, 'payment-failed');
  });

  t.test('no unexpected errors during the journey', async (t) => {
    t.same(unexpectedProblems(s), []);
  });
}
