// Where a cold load of /payments spends the renderer's main thread until its first row: one
// Chromium performance trace per load (fresh context, signed-in customer with three payments), read
// back into a timeline of the main thread's tasks (script evaluation, React's work in callbacks,
// style/layout/paint) beside the responses, in ms since navigation start. Needs the platform running.
// Prints figures; asserts nothing. The trace files stay in frontends/e2e/artifacts/ for DevTools.
//   node frontends/e2e/bench/first-row-trace.ts [loads]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS, launchBrowser } from '../src/browser.ts';
import { BASE_URL } from '../src/env.ts';
import { customerWithPayments } from './customer-with-payments.ts';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown>; beginData?: Record<string, unknown> };
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'toplevel'];
/** Tasks shorter than this are counted in the totals but not listed one by one. */
const LIST_FROM_MS = 3;

/** What a task mostly did, from the first telling event inside it. */
function describe(inside: TraceEvent[]): string {
  for (const e of inside) {
    const data = e.args?.data ?? e.args?.beginData ?? {};
    const url = typeof data.url === 'string' ? new URL(data.url, BASE_URL).pathname.replace(/(\/assets\/.+)-[\w-]{8}\.js$/, '$1.js') : '';
    if (e.name === 'EvaluateScript' || e.name === 'v8.evaluateModule') return `evaluate ${url || '(module)'}`;
    if (e.name === 'FunctionCall') return `JS ${data.functionName || '(anonymous)'} ${url}`.trim();
    if (e.name === 'TimerFire') return 'timer';
    if (e.name === 'FireAnimationFrame') return 'animation frame';
    if (e.name === 'EventDispatch') return `event ${String(data.type ?? '')}`;
    if (e.name === 'ParseHTML') return 'parse HTML';
    if (e.name === 'v8.compileModule' || e.name === 'v8.compile') return `compile ${url}`;
  }
  const names = [...new Set(inside.map((e) => e.name))].filter((n) => /Layout|Paint|Style|Commit|Parse|Resource/.test(n));
  return names.slice(0, 3).join(', ') || inside[0]?.name || '(task)';
}

async function traceOneLoad(run: number, cookies: Awaited<ReturnType<typeof customerWithPayments>>['cookies'], description: string) {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ baseURL: BASE_URL, ignoreHTTPSErrors: true });
    await context.addCookies(cookies);
    await context.addInitScript(() => localStorage.setItem('bank.has-session', '1'));
    const page = await context.newPage();
    const path = join(ARTIFACTS, `first-row-trace-${run}.json`);
    await browser.startTracing(page, { path, categories: CATEGORIES });
    await page.goto('/payments', { waitUntil: 'commit' });
    const handle = await page.waitForFunction((text) => (document.getElementById('root')?.textContent?.includes(text) ? performance.now() : false), description, { polling: 'raf', timeout: 15_000 });
    const firstRow = Math.round((await handle.jsonValue()) as number);
    const responses = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: new URL(r.name).pathname.replace(/(\/assets\/.+)-[\w-]{8}\.js$/, '$1.js'), start: Math.round(r.startTime), end: Math.round(r.responseEnd) })),
    );
    await browser.stopTracing();
    cookies.splice(0, cookies.length, ...(await context.cookies()));
    await context.close();
    return { firstRow, responses, path };
  } finally {
    await browser.close();
  }
}

function mainThreadTimeline(path: string, firstRow: number, responses: Array<{ name: string; start: number; end: number }>): void {
  const events = (JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const nav = events.find((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').includes('/payments'));
  if (!nav) throw new Error('no navigationStart for /payments in the trace');
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === nav.pid);
  if (!main) throw new Error('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts);
  const ms = (ts: number) => (ts - nav.ts) / 1000;
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const end = firstRow;
  let busy = 0;
  /** Where the last outermost task ended: a task inside it (Chromium nests RunTask events) is not counted twice. */
  let outerEnd = -Infinity;
  const rows: Array<{ at: number; dur: number; what: string }> = [];
  for (const task of tasks) {
    if (task.ts < outerEnd) continue;
    outerEnd = task.ts + (task.dur ?? 0);
    const at = ms(task.ts);
    if (at < 0 || at > end) continue;
    const dur = (task.dur ?? 0) / 1000;
    busy += dur;
    if (dur < LIST_FROM_MS) continue;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0));
    rows.push({ at, dur, what: describe(inside) });
  }
  const merged = [
    ...rows.map((r) => ({ at: r.at, line: `${r.at.toFixed(0).padStart(6)}  ${r.dur.toFixed(1).padStart(6)} ms  main: ${r.what}` })),
    ...responses.map((r) => ({ at: r.end, line: `${String(r.end).padStart(6)}            ← ${r.name} (asked at ${r.start})` })),
  ].sort((a, b) => a.at - b.at);
  console.log(`  first row at ${firstRow} ms; main thread busy ${busy.toFixed(0)} ms of it (tasks ≥ ${LIST_FROM_MS} ms listed)`);
  for (const m of merged) console.log(`  ${m.line}`);
}

const loads = Number(process.argv[2] ?? 1);
const { cookies, description } = await customerWithPayments('trace');
for (let run = 1; run <= loads; run++) {
  const { firstRow, responses, path } = await traceOneLoad(run, cookies, description);
  console.log(`cold /payments load ${run}: load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; trace ${path}`);
  mainThreadTimeline(path, firstRow, responses);
}
