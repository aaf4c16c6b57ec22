// The platform benchmark's senders: customer accounts created through auth's normal sign-up
// (once; later runs sign in again), each signed in for a real access token. Set up against auth
// directly — the setup is not measured, and the gateway's per-address limit would slow it down.
// Waits until payments' replica of the users knows them all (it learns them from events).
import type { LoadPlan } from './platform-load.ts';
import { paymentsDb } from './platform-measure.ts';

const AUTH_URL = 'http://127.0.0.1:3001/auth';
const PASSWORD = 'Bench!Sender-Passw0rd';

async function post(path: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  for (;;) {
    const res = await fetch(`${AUTH_URL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    // Sign-in failures from one address are slowed down (an earlier run may have left some): wait as told.
    if (res.status === 429 && typeof json.retryAfterSeconds === 'number' && json.retryAfterSeconds <= 60) {
      await new Promise((r) => setTimeout(r, Number(json.retryAfterSeconds) * 1000));
      continue;
    }
    return { status: res.status, json };
  }
}

export async function signInSenders(count: number): Promise<LoadPlan['senders']> {
  const senders: LoadPlan['senders'] = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-sender-${String(i).padStart(3, '0')}@bench.local`;
    // Sign-up first (409 when an earlier run created the account): a sign-in attempt for an
    // unknown account would count as a failed one against this address.
    const signup = await post('/signup', { email, password: PASSWORD, name: `Bench sender ${i}` });
    if (signup.status !== 201 && signup.status !== 409) throw new Error(`sign-up of ${email}: ${signup.status} ${JSON.stringify(signup.json)}`);
    const signin = await post('/signin', { email, password: PASSWORD });
    if (signin.status !== 200) throw new Error(`sign-in of ${email}: ${signin.status} ${JSON.stringify(signin.json)}`);
    senders.push({ email, token: String(signin.json.accessToken) });
  }
  const sql = paymentsDb();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from known_users where email = any(${senders.map((s) => s.email)})`;
      if (row!.n === count) break;
      if (Date.now() > deadline) throw new Error(`payments knows ${row!.n} of ${count} senders after 60 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await sql.end();
  }
  return senders;
}
