// Lighthouse (the npm package, in Debian's Chromium, headless, --no-sandbox) on the sign-in page
// and on a signed-in payments page, against the running platform (E2E_BASE_URL, default nginx at
// https://localhost:8443 — start it with `npm start`; this script does not). Lighthouse's default
// mobile settings: simulated throttling (150 ms RTT, 1.6 Mbps, 4× CPU). Each page in a fresh
// browser profile (cold cache, no service worker). Prints the performance and accessibility
// scores, LCP, and the JavaScript bytes transferred; the target is ≥ 95 for both scores.
//   node frontends/e2e/bench/lighthouse.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium, type Cookie } from 'playwright-core';
import { newApiClient } from '../src/browser.ts';
import { BASE_URL, CHROMIUM } from '../src/env.ts';
import { apiSignIn, apiSignUp, uniqueEmail } from '../src/flows.ts';

const PORT = 9333;

interface Scores {
  performance: number;
  accessibility: number;
  lcpMs: number;
  jsKb: number;
  jsFiles: number;
  /** Where the page ended up: a payments audit that lands on /auth/signin measured the wrong page. */
  finalPath: string;
}

async function audit(path: string, cookies: Cookie[] = []): Promise<Scores> {
  const profile = mkdtempSync(join(tmpdir(), 'bank-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: true,
    args: ['--no-sandbox', '--disable-gpu', `--remote-debugging-port=${PORT}`, '--ignore-certificate-errors', '--disable-quic'],
  });
  try {
    if (cookies.length) {
      await context.addCookies(cookies);
      // What a browser that signed in before holds: the refresh cookie and the session hint
      // (@bank/platform auth/session.ts), without which the shell does not try to restore a session.
      await context.addInitScript(() => localStorage.setItem('bank.has-session', '1'));
    }
    const result = await lighthouse(`${BASE_URL}${path}`, {
      port: PORT,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // Keep the session cookie set above; the profile is new, so the cache is cold anyway.
      disableStorageReset: true,
    });
    if (!result) throw new Error(`lighthouse returned nothing for ${path}`);
    const { lhr } = result;
    const items = (lhr.audits['network-requests']?.details as { items?: Array<{ resourceType?: string; transferSize?: number }> } | undefined)?.items ?? [];
    const js = items.filter((i) => i.resourceType === 'Script');
    return {
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      lcpMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
      jsKb: js.reduce((s, i) => s + (i.transferSize ?? 0), 0) / 1024,
      jsFiles: js.length,
      finalPath: new URL(lhr.finalDisplayedUrl).pathname,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A new customer's refresh cookie, as a browser holds it after signing in. */
async function customerCookies(): Promise<Cookie[]> {
  const api = await newApiClient();
  const email = uniqueEmail('lighthouse');
  await apiSignUp(api, email, 'Lighthouse Customer');
  await apiSignIn(api, email);
  const { cookies } = await api.storageState();
  await api.dispose();
  return cookies;
}

const line = (page: string, s: Scores) =>
  `${page.padEnd(10)} performance ${String(s.performance).padStart(3)}  accessibility ${String(s.accessibility).padStart(3)}  LCP ${String(s.lcpMs).padStart(5)} ms  JS ${s.jsFiles} files ${s.jsKb.toFixed(1)} kB transferred  (ended at ${s.finalPath})`;

console.log(`Lighthouse ${BASE_URL} (mobile, simulated throttling; target ≥ 95)`);
const signIn = await audit('/auth/signin');
console.log(line('sign-in', signIn));
const payments = await audit('/payments', await customerCookies());
console.log(line('payments', payments));
