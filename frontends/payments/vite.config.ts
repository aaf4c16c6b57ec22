import { defineConfig } from 'vite';
import { remoteConfig } from '@bank/vite-config';

// The remote's contract is whatever src/expose/ exports — nothing else is reachable.
export default defineConfig(remoteConfig({ root: import.meta.dirname, name: 'payments', exposes: { './App': './src/expose/App.tsx' } }));
