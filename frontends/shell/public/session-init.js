// Starts the session restore while the app's JavaScript loads (@bank/platform auth/session.ts takes
// the answer; same cross-tab lock as every refresh). Why: docs/benchmarks/frontend.md.
(function () {
  try {
    if (localStorage.getItem('bank.has-session') !== '1' || !navigator.onLine) return;
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
    /* storage unavailable: the platform restores the session itself */
  }
})();
