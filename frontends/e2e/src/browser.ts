// Browser sessions for the tests: Debian Chromium through playwright-core, one context per
// simulated person, with every console error, page error and failed request recorded.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BASE_URL, CHROMIUM } from './env.ts';

export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // --ignore-certificate-errors: contexts already accept the native stack's self-signed
    // certificate (ignoreHTTPSErrors), but Chromium refuses to register a service worker whose
    // script comes with a certificate error unless the browser itself ignores them.
    args: ['--no-sandbox', '--ignore-certificate-errors', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and HTTP ≥ 400 responses seen so far. */
  problems: string[];
  /** Every URL the page requested. */
  requests: string[];
}

// An anonymous visit asks /api/auth/refresh to restore a session and gets 401 — expected.
const EXPECTED = [/\/api\/auth\/refresh\b.*\b401\b/, /401 .*\/api\/auth\/refresh/, /status of 401/];

export async function openSession(browser: Browser, viewport = { width: 1280, height: 800 }, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<Session> {
  const context = await browser.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true, viewport, serviceWorkers: options.serviceWorkers ?? 'allow' });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { context, page, problems, requests };
}

/**
 * An HTTP client with its own cookie jar, for a second device or another person. Never use a
 * browser context's `request` to sign in: it shares the page's cookies, so the httpOnly
 * refresh_token cookie of that sign-in would replace the page's own session on the next reload.
 */
export function newApiClient(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true });
}

export function unexpectedProblems(session: Session): string[] {
  return session.problems.filter((p) => !EXPECTED.some((re) => re.test(p)));
}

/** `name` may hold a sub-folder ("responsive/360-payments"). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}
