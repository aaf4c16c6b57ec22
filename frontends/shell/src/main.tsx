// Boot order matters: the run-time config (remote URLs) must be known before any remote import.
import './styles.css';
import { Component, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme, storedTheme } from '@bank/ui';
import { createQueryClient, loadRuntimeConfig, registerReactInstance, restoreSession } from '@bank/platform';
import { App } from './App.tsx';
import { preparePage } from './boot/prepare-page.ts';
import { registerServiceWorker } from './offline/register-service-worker.ts';

registerReactInstance('shell', Component);
applyTheme(storedTheme());

// The session restore does not need the config: start it now, in parallel with /config.json.
const session = restoreSession();
const config = await loadRuntimeConfig();
window.__BANK_REMOTE_URLS__ = config.remotes;
preparePage(location.pathname, session);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App queryClient={createQueryClient()} />
  </StrictMode>,
);
registerServiceWorker();
