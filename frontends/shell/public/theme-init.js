// Applies the remembered theme before the first paint (kept external: the CSP forbids inline scripts).
(function () {
  try {
    var choice = localStorage.getItem('bank.theme') || 'system';
    var dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    if (dark) document.documentElement.classList.add('dark');
    document.documentElement.dataset.theme = choice;
  } catch {
    /* storage unavailable: light theme */
  }
})();
