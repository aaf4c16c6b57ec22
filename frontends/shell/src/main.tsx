// Boot order matters: the run-time config (remote URLs) must be known before any remote import.
import './styles.css';
import { Component, startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme, storedTheme } from '@bank/ui';
import { createQueryClient, loadRuntimeConfig, registerReactInstance, restoreSession, startAnalytics, startErrorReporting } from '@bank/platform';
import { App } from './App.tsx';
import { preparePage } from './boot/prepare-page.ts';
import { registerServiceWorker } from './offline/register-service-worker.ts';

registerReactInstance('shell', Component);
applyTheme(storedTheme());

// The session restore does not need the config: start it now. Both were asked for by
// public/early-requests.js while this code downloaded; these take the answers.
const session = restoreSession();
const config = await loadRuntimeConfig();
window.__BANK_REMOTE_URLS__ = config.remotes;
// One Sentry client for the shell and every remote (off without a DSN in /config.json).
startErrorReporting(config.sentry);
// Measures from the first paint; nothing is sent before the signed-in user's preference allows it.
startAnalytics(config.analytics);
preparePage(location.pathname, session);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
const reactRoot = createRoot(root);
// As a transition, React renders the first tree in slices, yielding to the browser every few ms:
// one long task of rendering blocked the main thread (Lighthouse's total blocking time) and held
// back the network callbacks that load the page's remote (docs/benchmarks/frontend.md).
startTransition(() => {
  reactRoot.render(
    <StrictMode>
      <App queryClient={createQueryClient()} />
    </StrictMode>,
  );
});
registerServiceWorker();
