import { defineConfig } from 'vite';
import { hostConfig } from '@bank/vite-config';

// The host. Remote URLs are not baked in: they come from /config.json at run time.
export default defineConfig(hostConfig({ root: import.meta.dirname }));
