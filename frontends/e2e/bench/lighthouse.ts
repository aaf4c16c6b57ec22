// Lighthouse (the npm package, in Debian's Chromium, headless, --no-sandbox) on the sign-in page
// and on a signed-in payments page, against the running platform (E2E_BASE_URL, default nginx at
// https://localhost:8443 — start it with `npm start`; this script does not). Lighthouse's default
// mobile settings: simulated throttling (150 ms RTT, 1.6 Mbps, 4× CPU). Each page in a fresh
// browser profile (cold cache, no service worker). Prints the performance and accessibility
// scores, LCP, and the JavaScript bytes transferred; the target is ≥ 95 for both scores.
//   node frontends/e2e/bench/lighthouse.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium, type Cookie } from 'playwright-core';
import { ARTIFACTS } from '../src/browser.ts';
import { BASE_URL, CHROMIUM } from '../src/env.ts';
import { customerWithPayments } from './customer-with-payments.ts';

const PORT = 9333;

interface Scores {
  performance: number;
  accessibility: number;
  lcpMs: number;
  jsKb: number;
  jsFiles: number;
  /** Where the page ended up: a payments audit that lands on /auth/signin measured the wrong page. */
  finalPath: string;
  /** The element Lighthouse took as the largest contentful paint. */
  lcpElement: string;
  /** Whether the audited page received `expectText` from the API (e.g. the payments' description). */
  rendered: boolean;
  /** The audits that cost points (score < 0.9), with their score. */
  losses: string[];
}

async function audit(path: string, cookies: Cookie[] = [], expectText?: string): Promise<Scores> {
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
    // The audited tab's API answers: did the page get the content it was meant to show?
    const apiAnswers: string[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/') && response.ok()) {
        response.text().then((body) => apiAnswers.push(body), () => undefined);
      }
    });
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
    // The whole report, to read what cost points (artifacts/ is git-ignored).
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, `lighthouse${path.replaceAll('/', '-')}.json`), JSON.stringify(lhr));
    // The page as it ended (artifacts/lighthouse-<path>-final.jpg), to look at.
    const finalShot = (lhr.audits['final-screenshot']?.details as { data?: string } | undefined)?.data;
    if (finalShot) writeFileSync(join(ARTIFACTS, `lighthouse${path.replaceAll('/', '-')}-final.jpg`), Buffer.from(finalShot.split(',')[1] ?? '', 'base64'));
    const rendered = expectText === undefined || apiAnswers.some((body) => body.includes(expectText));
    // Lighthouse 13 names the LCP element in the LCP breakdown insight (a table, then the node).
    const lcpParts = (lhr.audits['lcp-breakdown-insight']?.details as { items?: Array<{ type?: string; nodeLabel?: string; selector?: string }> } | undefined)?.items ?? [];
    const lcpNode = lcpParts.find((item) => item.type === 'node');
    const losses = Object.values(lhr.categories)
      .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0))
      .map((r) => lhr.audits[r.id])
      .filter((a): a is NonNullable<typeof a> => !!a && a.score !== null && a.score < 0.9)
      .map((a) => `${a.id} ${a.score}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    const items = (lhr.audits['network-requests']?.details as { items?: Array<{ resourceType?: string; transferSize?: number }> } | undefined)?.items ?? [];
    const js = items.filter((i) => i.resourceType === 'Script');
    return {
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      lcpMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
      jsKb: js.reduce((s, i) => s + (i.transferSize ?? 0), 0) / 1024,
      jsFiles: js.length,
      finalPath: new URL(lhr.finalDisplayedUrl).pathname,
      lcpElement: lcpNode ? `"${(lcpNode.nodeLabel ?? '').slice(0, 60)}" (${lcpNode.selector ?? ''})` : '—',
      rendered,
      losses,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}


const line = (page: string, s: Scores) =>
  `${page.padEnd(10)} performance ${String(s.performance).padStart(3)}  accessibility ${String(s.accessibility).padStart(3)}  LCP ${String(s.lcpMs).padStart(5)} ms  JS ${s.jsFiles} files ${s.jsKb.toFixed(1)} kB transferred  (ended at ${s.finalPath}${s.rendered ? '' : ', its content NOT received'})\n` +
  `           LCP element: ${s.lcpElement}${s.losses.length ? `\n           below 0.9: ${s.losses.join('; ')}` : ''}`;

console.log(`Lighthouse ${BASE_URL} (mobile, simulated throttling; target ≥ 95)`);
const signIn = await audit('/auth/signin');
console.log(line('sign-in', signIn));
const customer = await customerWithPayments('lighthouse');
const payments = await audit('/payments', customer.cookies, customer.description);
console.log(line('payments', payments));
// A payments audit that did not end on /payments with the list on screen measured another page.
if (signIn.finalPath !== '/auth/signin' || payments.finalPath !== '/payments' || !payments.rendered) {
  console.error('an audit did not measure the page it was meant to (see "ended at" above)');
  process.exitCode = 1;
}
