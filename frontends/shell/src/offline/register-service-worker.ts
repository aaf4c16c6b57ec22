// Registers /sw.js (built by scripts/build-service-worker.mjs) once the page has loaded, so the
// worker's precaching never competes with the first render. Production builds only: under the
// Vite dev server there is no sw.js and stale caches would fight hot reloading.
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
