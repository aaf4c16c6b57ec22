// The requests a page load needs first, started while the app's JavaScript downloads instead of
// once it has run (why: docs/benchmarks/frontend.md):
//  - /config.json (@bank/platform runtime-config.ts takes the answer): the shell reads the remotes'
//    URLs from it before anything else, and asked for it only after its modules had been evaluated;
//  - the page's remote entry, as soon as the config names it — the same choice as
//    shell/src/boot/prepare-page.ts — and through it the page's own chunks;
//  - the session restore, for a browser that signed in before (@bank/platform auth/session.ts takes
//    the answer; same cross-tab lock as every refresh);
//  - for a signed-in page, the first use of Intl (ICU's locale data: 100–200 ms of main thread on the
//    first date or amount formatted in a page), in a task of its own once those requests are out,
//    instead of inside React's commit of the first rows.
(function () {
  var signedIn = false;
  try {
    signedIn = localStorage.getItem('bank.has-session') === '1';
  } catch {
    /* storage unavailable: the platform restores the session itself */
  }
  // null when the request fails: the shell then runs with its defaults, as when it asked itself.
  var config = fetch('/config.json', { cache: 'no-store', credentials: 'same-origin' }).catch(function () {
    return null;
  });
  window.__BANK_EARLY_CONFIG__ = config;

  // The Intl warm-up (below) is queued once the two requests that themselves wait for the main
  // thread have been sent — the remote's entry, asked when the config has been read, and the
  // refresh, asked when the cross-tab lock is granted: queued before them, it delayed both (a trace:
  // 60 ms). The main thread is then waiting for their answers.
  var unsent = 2;
  var sent = function () {
    unsent -= 1;
    if (unsent === 0 && signedIn) setTimeout(warmUpIntl, 0);
  };

  var path = location.pathname;
  var remote = path.indexOf('/auth') === 0 ? 'auth' : signedIn && (path === '/' || path.indexOf('/payments') === 0) ? 'payments' : null;
  if (remote) {
    config
      .then(function (res) {
        return res && res.ok ? res.clone().json() : null;
      })
      .then(function (loaded) {
        var href = loaded && loaded.remotes && loaded.remotes[remote];
        if (typeof href !== 'string') return;
        // Run, not only fetched: remoteEntry.js adds preloads for the exposed chunk, its imports and
        // its stylesheet (vite-config/preload-expose.mjs), which the browser would otherwise learn
        // of only once the shell's modules had been evaluated and asked for the page's module. It
        // has no other effect until the shell calls its init() and get(); the shell's own import of
        // the same URL gets this module instance.
        import(href).catch(function () {
          /* the shell loads the remote itself, and shows its fallback if that fails too */
        });
      })
      .catch(function () {
        /* a hint only: the shell loads the remote itself */
      })
      .then(sent);
  } else sent();

  if (!signedIn || !navigator.onLine) return sent();
  try {
    var send = function () {
      var response = fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      sent();
      return response;
    };
    window.__BANK_EARLY_REFRESH__ = navigator.locks ? navigator.locks.request('bank.refresh', send) : send();
  } catch {
    /* the platform restores the session itself */
  }

  // The formatters @bank/platform makes first for a list (format/date-time.ts formatDateTime,
  // format/money.ts, display-locale.ts's check), in the remembered display locale or the default.
  // ICU keeps the locale's data once loaded; the instances here are dropped.
  function warmUpIntl() {
    try {
      var locale = localStorage.getItem('bank.locale') || 'en-GB';
      if (Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 0) locale = 'en-GB';
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', signDisplay: 'exceptZero' }).format(0);
    } catch {
      /* a hint only */
    }
  }
})();
