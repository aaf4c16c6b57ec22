// shell/public/early-requests.js warms up Intl for a signed-in page (ICU's first use costs
// 100–200 ms of main thread, which otherwise fell inside React's commit of the payments list's
// first rows): in a task of its own, queued only once the remote's entry and the refresh have been
// asked for, with the formatters and locale @bank/platform uses first; not for an anonymous page
// (the sign-in form formats nothing). Run in a vm with a stand-in browser.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import t from 'tap';

const SOURCE = readFileSync(new URL('../../shell/public/early-requests.js', import.meta.url), 'utf8');

interface Made {
  kind: string;
  locale: string;
  options: unknown;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function load(storage: Record<string, string>, path = '/payments') {
  const timers: Array<() => void> = [];
  const fetched: string[] = [];
  let answerConfig: () => void = () => undefined;
  const configAnswer = new Promise<unknown>((resolve) => {
    const body = { remotes: { payments: '/mfe/payments/assets/remoteEntry.js' } };
    answerConfig = () => resolve({ ok: true, clone: () => ({ json: async () => body }) });
  });
  const made: Made[] = [];
  const checked: string[][] = [];
  class DateTimeFormat {
    static supportedLocalesOf(locales: string[]) {
      checked.push(locales);
      return locales.filter((l) => l !== 'xx-XX');
    }
    constructor(locale: string, options: unknown) {
      made.push({ kind: 'DateTimeFormat', locale, options });
    }
    format() {
      return '';
    }
  }
  class NumberFormat {
    constructor(locale: string, options: unknown) {
      made.push({ kind: 'NumberFormat', locale, options });
    }
    format() {
      return '';
    }
  }
  const sandbox = {
    localStorage: { getItem: (key: string) => storage[key] ?? null },
    location: { pathname: path },
    navigator: { onLine: true },
    document: { createElement: () => ({}), head: { appendChild: () => undefined } },
    fetch: (url: string) => {
      fetched.push(url);
      return url === '/config.json' ? configAnswer : new Promise(() => undefined);
    },
    setTimeout: (fn: () => void) => timers.push(fn),
    Intl: { DateTimeFormat, NumberFormat },
    window: {} as Record<string, unknown>,
  };
  runInNewContext(SOURCE, sandbox);
  return { timers, made, checked, fetched, answerConfig };
}

t.test('a signed-in page formats once in the remembered locale, in a task of its own', async (t) => {
  const page = load({ 'bank.has-session': '1', 'bank.locale': 'de-DE' });
  t.same(page.fetched, ['/config.json', '/api/auth/refresh']);
  t.equal(page.timers.length, 0, 'nothing queued while the remote entry is not asked for yet');
  page.answerConfig();
  await settle();
  t.same(page.made, [], 'nothing while the script runs: the parser is not held up');
  t.equal(page.timers.length, 1, 'one task queued, once the config has been read');
  page.timers[0]?.();
  t.same(page.checked, [['de-DE']], "the locale checked as display-locale.ts does");
  t.same(
    page.made.map((m) => [m.kind, m.locale]),
    [
      ['DateTimeFormat', 'de-DE'],
      ['NumberFormat', 'de-DE'],
    ],
  );
  t.same(page.made[0]?.options, { dateStyle: 'medium', timeStyle: 'short' }, "formatDateTime's options");
  t.match(page.made[1]?.options, { style: 'currency' });
});

t.test('without a remembered locale, or with one Intl does not know, en-GB (the default)', async (t) => {
  for (const storage of [{ 'bank.has-session': '1' }, { 'bank.has-session': '1', 'bank.locale': 'xx-XX' }]) {
    const page = load(storage);
    page.answerConfig();
    await settle();
    page.timers[0]?.();
    t.same(
      page.made.map((m) => m.locale),
      ['en-GB', 'en-GB'],
    );
  }
});

t.test('an anonymous page (the sign-in form) does not pay for it', async (t) => {
  const page = load({}, '/auth/signin');
  page.answerConfig();
  await settle();
  t.equal(page.timers.length, 0);
  t.same(page.made, []);
});

t.test('on a signed-in page without a remote (settings), once the refresh is asked for', async (t) => {
  const page = load({ 'bank.has-session': '1' }, '/settings');
  t.equal(page.timers.length, 1);
});

t.test('a failing Intl is only a missed hint', async (t) => {
  const page = load({ 'bank.has-session': '1' });
  page.answerConfig();
  await settle();
  (page as unknown as { made: Made[] }).made.push = () => {
    throw new RangeError('no ICU');
  };
  t.doesNotThrow(() => page.timers[0]?.());
});
