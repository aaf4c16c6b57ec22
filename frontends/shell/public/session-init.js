// Starts the session restore before the application's JavaScript has arrived (kept external: the
// CSP forbids inline scripts). A browser that signed in before (the non-secret hint of
// @bank/platform's auth/session.ts) asks for a new access token at once, instead of after the
// shell's modules have loaded and run — on a cold /payments load that was the longest serial step
// before the list could be asked for (docs/benchmarks/frontend.md). The platform's
// restoreSession() takes the response from window.__BANK_EARLY_REFRESH__; the request runs under
// the same cross-tab lock as every refresh, so two tabs never spend the same refresh cookie.
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
