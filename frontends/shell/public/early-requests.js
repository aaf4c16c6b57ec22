// The requests a page load needs first, started while the app's JavaScript downloads instead of
// once it has run (why: docs/benchmarks/frontend.md):
//  - /config.json (@bank/platform runtime-config.ts takes the answer): the shell reads the remotes'
//    URLs from it before anything else, and asked for it only after its modules had been evaluated;
//  - the page's remote entry, as soon as the config names it (a modulepreload: fetched and parsed,
//    run when the shell imports it) — the same choice as shell/src/boot/prepare-page.ts;
//  - the session restore, for a browser that signed in before (@bank/platform auth/session.ts takes
//    the answer; same cross-tab lock as every refresh);
//  - for a signed-in page, the first use of Intl (ICU's locale data: 100–200 ms of main thread on the
//    first date or amount formatted in a page), in a task of its own while the modules download,
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
        var link = document.createElement('link');
        link.rel = 'modulepreload';
        link.href = href;
        document.head.appendChild(link);
      })
      .catch(function () {
        /* a hint only: the shell loads the remote itself */
      });
  }

  if (signedIn) setTimeout(warmUpIntl, 0);

  if (!signedIn || !navigator.onLine) return;
  try {
    var send = function () {
      return fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
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
