// Cold loads in Chromium against the running platform (E2E_BASE_URL, default nginx at
// https://localhost:8443): what the sign-in page downloads before its form is usable, and how long
// a signed-in cold load of /payments takes until its first row is on screen. Each load uses a
// fresh browser context (empty HTTP cache, no service worker). Prints figures; asserts nothing.
//   node frontends/e2e/bench/page-weight.ts [runs]
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../src/browser.ts';
import { BASE_URL } from '../src/env.ts';
import { customerWithPayments } from './customer-with-payments.ts';

interface Transfer {
  url: string;
  type: string;
  encoding: string;
  /** Bytes on the wire (headers excluded), as Chromium counted them. */
  transferred: number;
  /** The body gzipped at level 9: the figure the issue's budget is stated in. */
  gzip9: number;
}

const TEXT = /javascript|css|json|svg|html|manifest/;

/** Records every response of a page with its wire size, through the DevTools protocol. */
async function recordTransfers(context: BrowserContext, run: (page: Page) => Promise<void>): Promise<Transfer[]> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const meta = new Map<string, { url: string; type: string; encoding: string }>();
  const done = new Map<string, number>();
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    meta.set(e.requestId, { url: e.response.url, type: headers['content-type'] ?? '', encoding: headers['content-encoding'] ?? '' });
  });
  cdp.on('Network.loadingFinished', (e) => done.set(e.requestId, e.encodedDataLength));
  const bodies = new Map<string, Buffer>();
  page.on('response', async (r) => {
    try {
      if (r.request().method() === 'GET' && r.status() === 200) bodies.set(r.url(), await r.body());
    } catch {
      // redirects and aborted loads have no body
    }
  });
  await run(page);
  await page.close();
  const out: Transfer[] = [];
  for (const [id, m] of meta) {
    const body = bodies.get(m.url);
    out.push({ ...m, transferred: done.get(id) ?? 0, gzip9: body ? gzipSync(body, { level: 9 }).length : 0 });
  }
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const isJs = (t: Transfer) => /javascript/.test(t.type) || /\.m?js(\?|$)/.test(t.url);

async function signInPageWeight(browser: Browser): Promise<void> {
  const context = await browser.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true });
  /** URLs whose response had arrived when the form was on screen (the page's own clock). */
  let beforeFormUrls = new Set<string>();
  const transfers = await recordTransfers(context, async (page) => {
    await page.goto('/auth/signin', { waitUntil: 'commit' });
    const formAt = await (await page.waitForFunction(() => (document.querySelector('input[type="email"]') ? performance.now() : false), undefined, { polling: 'raf', timeout: 15_000 })).jsonValue();
    // Then what loads once the page is up (the analytics runtime and web-vitals).
    await page.waitForLoadState('networkidle');
    beforeFormUrls = new Set(await page.evaluate((at) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.responseEnd <= at).map((r) => r.name), formAt));
  });
  await context.close();
  const js = transfers.filter(isJs);
  const beforeForm = js.filter((t) => beforeFormUrls.has(t.url));
  const uncompressed = transfers.filter((t) => TEXT.test(t.type) && !t.encoding && t.transferred > 1024 && !t.url.includes('/api/'));
  const sum = (list: Transfer[], key: 'gzip9' | 'transferred') => kb(list.reduce((s, t) => s + t[key], 0));
  console.log(`sign-in page  JS until the form is usable: ${beforeForm.length} files  gzip-9 ${sum(beforeForm, 'gzip9')}  on the wire ${sum(beforeForm, 'transferred')}`);
  console.log(`              JS until the network is idle: ${js.length} files  gzip-9 ${sum(js, 'gzip9')}  on the wire ${sum(js, 'transferred')}  (all responses on the wire ${sum(transfers, 'transferred')})`);
  for (const t of js.sort((a, b) => b.gzip9 - a.gzip9)) console.log(`  ${kb(t.gzip9).padStart(9)}  ${t.encoding || 'identity'}  ${new URL(t.url).pathname}${beforeFormUrls.has(t.url) ? '' : '  (after the form)'}`);
  console.log(`text responses over 1 kB sent without compression: ${uncompressed.length}${uncompressed.map((t) => `\n  ${new URL(t.url).pathname} (${t.type})`).join('')}`);
}


/** One resource of the cold load, in ms since navigation start (Resource Timing). */
interface ChainStep {
  name: string;
  start: number;
  end: number;
}

/**
 * The chain of a cold load: when each request started and ended, and the first row, so the
 * serial steps (a request that starts only when another ends) can be seen.
 */
function printChain(steps: ChainStep[], firstRow: number): void {
  console.log(`  chain of the median load (ms since navigation start; first row at ${firstRow} ms):`);
  for (const s of [...steps].sort((a, b) => a.start - b.start)) {
    console.log(`    ${String(s.start).padStart(5)} → ${String(s.end).padStart(5)}  ${s.name}`);
  }
}

async function paymentsFirstRow(browser: Browser, runs: number): Promise<void> {
  const { cookies, description } = await customerWithPayments('bench');
  const times: number[] = [];
  const chains: ChainStep[][] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true });
    await context.addCookies(cookies);
    // What a browser that signed in before holds: the refresh cookie and the session hint
    // (@bank/platform auth/session.ts), without which the shell does not try to restore a session.
    await context.addInitScript(() => localStorage.setItem('bank.has-session', '1'));
    const page = await context.newPage();
    await page.goto('/payments', { waitUntil: 'commit' });
    // Milliseconds since navigation start when the first payment's description is rendered.
    const handle = await page.waitForFunction((text) => (document.getElementById('root')?.textContent?.includes(text) ? performance.now() : false), description, { polling: 'raf', timeout: 15_000 });
    times.push(Math.round((await handle.jsonValue()) as number));
    chains.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const steps = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: new URL(r.name).pathname + new URL(r.name).search, start: Math.round(r.startTime), end: Math.round(r.responseEnd) }));
        if (nav) steps.push({ name: '(document)', start: 0, end: Math.round(nav.responseEnd) }, { name: '(DOMContentLoaded)', start: Math.round(nav.domContentLoadedEventStart), end: Math.round(nav.domContentLoadedEventEnd) });
        return steps;
      }),
    );
    // The refresh cookie rotates on every use: carry the new one to the next cold load.
    cookies.splice(0, cookies.length, ...(await context.cookies()));
    await context.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`payments first row (cold, ${runs} loads)  median ${median} ms  min ${sorted[0]} ms  max ${sorted.at(-1)} ms  [${times.join(', ')}]  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  printChain(chains[times.indexOf(median)] ?? [], median);
}

const runs = Number(process.argv[2] ?? 5);
const browser = await launchBrowser();
try {
  console.log(`cold loads against ${BASE_URL}`);
  await signInPageWeight(browser);
  await paymentsFirstRow(browser, runs);
} finally {
  await browser.close();
}
