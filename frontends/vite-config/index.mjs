// One place for how every front-end is built: React, Tailwind v4, module federation with the
// shared singletons listed once, esnext output, and the base path each app is served under.
// Plain ESM + JSDoc so vite.config.ts files can import it without a build step.
import federation from '@originjs/vite-plugin-federation';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.mjs';
import { minifyClassicScripts } from './minify-classic-scripts.mjs';
import { preloadExposedChunks } from './preload-expose.mjs';
import { preloadSharedChunks } from './preload-shared.mjs';

/** The remotes the shell knows, with their native preview ports (DESIGN.md §3). */
export const REMOTES = /** @type {const} */ ({ auth: 4201, payments: 4202, admin: 4203 });

/**
 * Shared singletons. The originjs plugin has no `singleton` flag: the host provides these and
 * remotes use the host's copy, which is only safe because every app pins identical versions.
 * Our own packages carry their version explicitly (they are workspaces, not registry packages).
 */
export const SHARED = {
  react: {},
  'react-dom': {},
  // Built from a subset of the package (see shared/react-router.mjs); the version is given because
  // the plugin cannot read it from a file path. Keep it equal to the apps' pinned react-router.
  'react-router': { packagePath: fileURLToPath(new URL('./shared/react-router.mjs', import.meta.url)), version: '7.18.5' },
  '@tanstack/react-query': { packagePath: fileURLToPath(new URL('./shared/react-query.mjs', import.meta.url)), version: '5.108.0' },
  zustand: {},
  '@bank/platform': { version: '1.0.0' },
  '@bank/ui': { version: '1.0.0' },
};

// The repository root also holds React 18 (a dependency of the test runner's reporter):
// dedupe makes every import resolve to the app's React 19.
const DEDUPE = ['react', 'react-dom', 'react-router', '@tanstack/react-query', 'zustand'];

/**
 * gzip copies of the built text files for nginx's gzip_static (precompress.mjs), after every build
 * and every rebuild of `vite build --watch`, so a copy is never older than its file.
 * @param {{ minifyClassic?: boolean }} [options] minifyClassic: the host's public/ classic scripts first
 * @returns {import('vite').Plugin}
 */
function precompressPlugin({ minifyClassic = false } = {}) {
  /** @type {string} */
  let outDir = 'dist';
  return {
    name: 'bank:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      // The host's classic scripts from public/ (minify-classic-scripts.mjs), before their gzip copies.
      if (minifyClassic) minifyClassicScripts(outDir);
      precompress(outDir);
    },
  };
}

/** @param {string} root */
function baseConfig(root) {
  return {
    root,
    resolve: { dedupe: DEDUPE },
    // terser rather than esbuild's minifier: a few percent smaller output, which the sign-in page's
    // budget needs (ui/scripts/bundle-budget.mjs); two passes fold what the first pass exposes, and
    // `module` (every chunk is an ES module) lets it rename top-level names too.
    build: { target: 'esnext', sourcemap: true, emptyOutDir: true, reportCompressedSize: false, minify: 'terser', terserOptions: { module: true, compress: { passes: 2 }, format: { comments: false } } },
    preview: { cors: true, strictPort: true, host: '127.0.0.1' },
  };
}

/**
 * A remote served at /mfe/<name>/ whose remoteEntry.js exposes modules from src/expose/.
 * @param {{ root: string; name: keyof typeof REMOTES; exposes: Record<string, string> }} options
 * @returns {import('vite').UserConfig}
 */
export function remoteConfig({ root, name, exposes }) {
  const base = baseConfig(root);
  return {
    ...base,
    base: `/mfe/${name}/`,
    // No preload helper in the remotes: it was part of every remote's entry chunk (the sign-in
    // page's budget), and a remote's lazy pages import little beyond the shared singletons.
    build: { ...base.build, modulePreload: false },
    plugins: [react(), tailwindcss(), federation({ name, filename: 'remoteEntry.js', exposes, shared: SHARED }), preloadExposedChunks(`/mfe/${name}/`), precompressPlugin()],
    preview: { ...base.preview, port: REMOTES[name] },
  };
}

/**
 * The host. Remote URLs are resolved at run time from /config.json (see src/boot/remotes.ts):
 * promise-based remotes read globalThis.__BANK_REMOTE_URLS__, set before the first remote import.
 * @param {{ root: string; apiTarget?: string; remotesTarget?: string }} options
 * @returns {import('vite').UserConfig}
 */
export function hostConfig({
  root,
  apiTarget = process.env.BANK_API_TARGET ?? 'http://127.0.0.1:3000',
  // In `npm run dev` the remotes are rebuilt by `vite build --watch` and served by nginx.
  remotesTarget = process.env.BANK_REMOTES_TARGET ?? 'https://127.0.0.1:8443',
}) {
  const remotes = Object.fromEntries(
    Object.keys(REMOTES).map((name) => [
      name,
      {
        external: `Promise.resolve((globalThis.__BANK_REMOTE_URLS__ || {})[${JSON.stringify(name)}] || ${JSON.stringify(`/mfe/${name}/assets/remoteEntry.js`)})`,
        externalType: /** @type {const} */ ('promise'),
        format: /** @type {const} */ ('esm'),
        from: /** @type {const} */ ('vite'),
      },
    ]),
  );
  const base = baseConfig(root);
  return {
    ...base,
    base: '/',
    plugins: [react(), tailwindcss(), federation({ name: 'shell', remotes, shared: SHARED }), preloadSharedChunks('/'), precompressPlugin({ minifyClassic: true })],
    server: {
      port: 4200,
      strictPort: true,
      host: '127.0.0.1',
      proxy: {
        '/api': { target: apiTarget, changeOrigin: false },
        '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
        '/mfe': { target: remotesTarget, secure: false },
      },
      // The shared workspace packages (ui, platform) live outside the shell's folder.
      fs: { allow: [new URL('..', import.meta.url).pathname] },
    },
    preview: {
      ...base.preview,
      port: 4200,
      // `vite preview` of the whole set without nginx: remotes run their own `vite preview`.
      proxy: {
        '/api': { target: apiTarget },
        '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true },
        ...Object.fromEntries(Object.entries(REMOTES).map(([name, port]) => [`/mfe/${name}/`, { target: `http://127.0.0.1:${port}` }])),
      },
    },
  };
}
