// The signed-in customer the front-end benches load /payments as: signed up and in through the
// API, with three payments so the list has rows to wait for.
import { randomUUID } from 'node:crypto';
import type { Cookie } from 'playwright-core';
import { newApiClient } from '../src/browser.ts';
import { apiSignIn, apiSignUp, uniqueEmail } from '../src/flows.ts';

/** A new customer with a few payments: the refresh cookie a browser holds after signing in, and the payments' description. */
export async function customerWithPayments(tag: string): Promise<{ cookies: Cookie[]; description: string }> {
  const api = await newApiClient();
  const email = uniqueEmail(tag);
  const payee = uniqueEmail(`${tag}-payee`);
  await apiSignUp(api, email, 'Bench Customer');
  await apiSignUp(api, payee, 'Bench Payee');
  const { accessToken } = await apiSignIn(api, email);
  const description = `${tag}-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < 3; i++) {
    const res = await api.post('/api/payments', {
      headers: { authorization: `Bearer ${accessToken}`, 'idempotency-key': randomUUID() },
      data: { recipientEmail: payee, amount: 1 + i, currency: 'EUR', type: 'instant', description },
    });
    if (res.status() >= 300) throw new Error(`create payment ${res.status()}: ${await res.text()}`);
  }
  const { cookies } = await api.storageState();
  await api.dispose();
  return { cookies, description };
}
