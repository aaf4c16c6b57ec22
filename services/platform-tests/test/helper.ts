// Talks to the running platform the way a client does: HTTPS through nginx, self-signed
// certificate accepted. PLATFORM_URL defaults to the native runner's https://localhost:8443.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Agent, request } from 'undici';

export const PLATFORM_URL = process.env.PLATFORM_URL ?? 'https://localhost:8443';
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@bank.local',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'Admin!Passw0rd',
};
export const PASSWORD = 'correct horse battery staple';

export const insecure = new Agent({ connect: { rejectUnauthorized: false }, pipelining: 0 });
// Idle keep-alive sockets would hold the test process open after its last assertion.
t.teardown(() => insecure.close());

// Response bodies are JSON of whatever shape the endpoint returns; tests assert on them directly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${opts.base ?? PLATFORM_URL}${path}`, {
    method: method as 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    dispatcher: insecure,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.statusCode, headers: res.headers, body: body as T, text };
}

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@example.test`;

export interface Session {
  email: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  user: { id: string; email: string; role: string };
}

export async function signIn(email: string, password: string, deviceId?: string): Promise<Session> {
  const res = await api('POST', '/api/auth/signin', { body: { email, password, ...(deviceId ? { deviceId } : {}) } });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.text}`);
  return { email, ...res.body };
}

export async function newCustomer(label = 'customer'): Promise<Session> {
  const email = uniqueEmail(label);
  const res = await api('POST', '/api/auth/signup', { body: { email, password: PASSWORD, name: `Test ${label}` } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return signIn(email, PASSWORD);
}

export const adminSession = () => signIn(ADMIN.email, ADMIN.password);

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
