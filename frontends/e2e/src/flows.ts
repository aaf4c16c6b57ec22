// Steps a person takes, reused by several test files.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from 'playwright-core';

export const PASSWORD = 'E2e-Passw0rd-2026';

export function uniqueEmail(tag: string): string {
  return `e2e-${tag}-${Date.now()}-${randomUUID().slice(0, 6)}@example.com`;
}

export async function signUpInUi(page: Page, name: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/auth/signup');
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/auth/signin');
}

export async function signInInUi(page: Page, email: string, password = PASSWORD): Promise<void> {
  if (!page.url().includes('/auth/signin')) await page.goto('/auth/signin');
  // The URL changes before the sign-in form replaces the previous page (the router renders the
  // remote in a transition): fill only the sign-in form, never a form still on its way out.
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  // Either the payments page, or the form's error: a refused sign-in fails here with the page's
  // own message instead of a bare 30 s timeout.
  const refusal = form.getByRole('alert').filter({ hasText: 'Sign-in failed' });
  const signedIn = page.waitForURL('**/payments').then(() => null);
  const refused = refusal.waitFor().then(async () => (await refusal.innerText()).trim());
  // The loser times out later: handled here so it is not an unhandled rejection.
  for (const pending of [signedIn, refused]) pending.catch(() => undefined);
  const outcome = await Promise.race([signedIn, refused]);
  if (outcome !== null) throw new Error(`sign-in as ${email} refused: ${outcome}`);
}

/** Signs up and in through the API (a second device, or a user for an admin to manage). */
export async function apiSignUp(request: APIRequestContext, email: string, name = 'E2E Person', password = PASSWORD): Promise<void> {
  const res = await request.post('/api/auth/signup', { data: { email, password, name } });
  if (res.status() !== 201) throw new Error(`signup ${res.status()}: ${await res.text()}`);
}

export async function apiSignIn(request: APIRequestContext, email: string, password = PASSWORD, deviceName = 'E2E API device'): Promise<{ accessToken: string; sessionId: string; user: { id: string; role: string } }> {
  const res = await request.post('/api/auth/signin', { data: { email, password, deviceId: randomUUID(), deviceName } });
  if (res.status() !== 200) throw new Error(`signin ${res.status()}: ${await res.text()}`);
  return (await res.json()) as { accessToken: string; sessionId: string; user: { id: string; role: string } };
}

/** Fills the new-payment form and returns the created payment's id (from the detail URL). */
export async function createPaymentInUi(page: Page, p: { recipient: string; amount: string; currency?: string; description: string }): Promise<string> {
  await page.goto('/payments/new');
  await page.getByLabel('Recipient email').fill(p.recipient);
  await page.getByLabel('Amount').fill(p.amount);
  await page.getByLabel('Currency').selectOption(p.currency ?? 'EUR');
  await page.getByLabel('Description (optional)').fill(p.description);
  // Nothing is sent before the review dialog is confirmed.
  await page.getByRole('button', { name: 'Review payment' }).click();
  const review = page.getByRole('dialog', { name: 'Check your payment' });
  await review.waitFor();
  const submit = review.getByRole('button', { name: 'Send payment' });
  // A double click must still pay once (button disabled + same idempotency key).
  await submit.dblclick();
  await page.waitForURL(/\/payments\/[0-9a-f-]{8,}$/);
  return page.url().split('/').pop() as string;
}

export async function waitForFinalStatus(page: Page, timeoutMs = 90_000): Promise<string> {
  const badge = page.getByTestId('payment-status').locator('[data-status]');
  await page.waitForFunction(
    () => ['completed', 'failed', 'cancelled'].includes(document.querySelector('[data-testid="payment-status"] [data-status]')?.getAttribute('data-status') ?? ''),
    undefined,
    { timeout: timeoutMs },
  );
  return (await badge.getAttribute('data-status')) ?? '';
}
