// Asked for while the app's JavaScript downloads (minified by the build, vite-config's
// minify-classic-scripts.mjs; the reasons are in docs/benchmarks/frontend.md, "early requests"),
// each taken by the code named:
//  - /config.json (@bank/platform runtime-config.ts);
//  - the page's remoteEntry.js, once the config names it (prepare-page.ts's choice): it only preloads
//    the page's chunks (vite-config/preload-expose.mjs) until the shell calls init()/get();
//  - the session refresh (@bank/platform auth/session.ts; same cross-tab lock);
//  - the payments list's default view, with the refresh's token kept in this closure (the payments
//    remote's api/early-list.ts);
//  - on a signed-in page, Intl's first use (ICU data, 100–200 ms) once those requests are out.
(function () {
  var signedIn = false;
  try {
    signedIn = localStorage.getItem('bank.has-session') === '1';
  } catch {
    /* the platform restores the session itself */
  }
  // null on failure: the shell runs with its defaults.
  var config = fetch('/config.json', { cache: 'no-store', credentials: 'same-origin' }).catch(function () {
    return null;
  });
  window.__BANK_EARLY_CONFIG__ = config;

  // Queued before the remote's entry and the refresh were sent, the warm-up delayed both.
  var unsent = 2;
  var sent = function () {
    unsent -= 1;
    if (unsent === 0 && signedIn) setTimeout(warmUpIntl, 0);
  };
  var ignore = function () {
    /* a hint only: the shell loads and restores by itself */
  };

  var path = location.pathname;
  var remote =
    path.indexOf('/auth') === 0
      ? 'auth'
      : signedIn && (path === '/' || path.indexOf('/payments') === 0)
        ? 'payments'
        : null;
  if (remote) {
    config
      .then(function (res) {
        return res && res.ok ? res.clone().json() : null;
      })
      .then(function (loaded) {
        var href = loaded && loaded.remotes && loaded.remotes[remote];
        if (typeof href === 'string') import(href).catch(ignore);
      })
      .catch(ignore)
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
    var refresh = (window.__BANK_EARLY_REFRESH__ = navigator.locks
      ? navigator.locks.request('bank.refresh', send)
      : send());
    if (remote === 'payments' && /^\/(payments\/?)?$/.test(path) && !location.search) {
      // The platform reads a copy (read after the original): the list goes out before the session
      // is stored and the shell re-rendered for it.
      var copy = (window.__BANK_EARLY_REFRESH__ = refresh.then(function (res) {
        return res.clone();
      }));
      copy.catch(ignore); // a failure is the platform's to see, not an unhandled rejection
      window.__BANK_EARLY_LIST__ = refresh
        .then(function (res) {
          return res.ok && res.json();
        })
        .then(function (session) {
          if (!session) return null;
          var list = '/api/payments?limit=20';
          var response = fetch(list, {
            headers: { authorization: 'Bearer ' + session.accessToken },
            credentials: 'same-origin',
          });
          return { url: list, userId: session.user.id, response: response.catch(ignore) };
        })
        .catch(ignore);
    }
  } catch {
    ignore();
  }

  // The list's first formatters (platform format/, display-locale.ts) in the remembered locale.
  function warmUpIntl() {
    try {
      var locale = localStorage.getItem('bank.locale') || 'en-GB';
      if (Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 0) locale = 'en-GB';
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', signDisplay: 'exceptZero' }).format(
        0,
      );
    } catch {
      ignore();
    }
  }
})();
