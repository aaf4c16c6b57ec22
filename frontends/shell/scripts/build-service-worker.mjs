#!/usr/bin/env node
// Builds dist/sw.js after the shell and the remotes are built (the shell's `build` script runs it;
// turbo builds the remotes first). Steps:
//  1. the precache manifest: the shell's dist (index.html, offline.html, theme-init.js, early-requests.js, favicon,
//     hashed assets) and each remote's dist/assets (remoteEntry.js and its chunks) under /mfe/<name>/;
//  2. the build id: BANK_BUILD_ID, else a hash of that manifest (changes exactly when a file does),
//     so a release's caches are named `bank-precache-<id>` and the next release removes them;
//  3. src/sw/service-worker.ts bundled by Vite into one classic script with the id compiled in;
//  4. workbox-build's injectManifest writes the manifest into it as dist/sw.js (then gzipped for
//     nginx's gzip_static like the rest of dist, see ../vite-config/precompress.mjs).
//   node scripts/build-service-worker.mjs
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { getManifest, injectManifest } from 'workbox-build';
import { precompress } from '@bank/vite-config/precompress';

const shell = resolve(import.meta.dirname, '..');
const frontends = resolve(shell, '..');
// The admin remote is not precached: a customer's browser never downloads admin code (the e2e
// suite checks it). An admin's visit caches its files at run time (hashed assets: cache-first).
const REMOTES = ['auth', 'payments'];
// Vite's hashed file names (name-<8+ chars>.js): their URL is their version, no revision needed.
const HASHED = /-[A-Za-z0-9_-]{8,}\.(js|css)$/;
const SHELL_FILES = ['index.html', 'offline.html', 'config.json', 'favicon.svg', 'theme-init.js', 'early-requests.js', 'assets/**/*.{js,css}'];

/** @param {string} name */
async function remoteEntries(name) {
  const dist = join(frontends, name, 'dist');
  if (!existsSync(join(dist, 'assets', 'remoteEntry.js'))) throw new Error(`${name} is not built (${dist}): build the remotes before the shell`);
  const { manifestEntries, warnings } = await getManifest({
    globDirectory: dist,
    globPatterns: ['assets/**/*.{js,css}'],
    dontCacheBustURLsMatching: HASHED,
    modifyURLPrefix: { 'assets/': `/mfe/${name}/assets/` },
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
  });
  for (const w of warnings) console.warn(`service worker (${name}): ${w}`);
  return manifestEntries ?? [];
}

const remotes = (await Promise.all(REMOTES.map(remoteEntries))).flat();
const shellManifest = await getManifest({ globDirectory: join(shell, 'dist'), globPatterns: SHELL_FILES, dontCacheBustURLsMatching: HASHED });
const all = [...(shellManifest.manifestEntries ?? []), ...remotes];
const buildId =
  process.env.BANK_BUILD_ID ??
  createHash('sha256')
    .update(all.map((e) => `${e.url} ${e.revision ?? ''}`).sort().join('\n'))
    .digest('hex')
    .slice(0, 12);

const out = mkdtempSync(join(tmpdir(), 'bank-sw-'));
try {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: shell,
    define: { __BANK_BUILD_ID__: JSON.stringify(buildId), 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: out,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      copyPublicDir: false,
      lib: { entry: join(shell, 'src', 'sw', 'service-worker.ts'), formats: ['iife'], name: 'bankServiceWorker', fileName: () => 'sw.js' },
    },
  });
  const { count, size, warnings } = await injectManifest({
    swSrc: join(out, 'sw.js'),
    swDest: join(shell, 'dist', 'sw.js'),
    globDirectory: join(shell, 'dist'),
    globPatterns: SHELL_FILES,
    dontCacheBustURLsMatching: HASHED,
    additionalManifestEntries: remotes,
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
  });
  for (const w of warnings) console.warn(`service worker: ${w}`);
  precompress(join(shell, 'dist'));
  console.warn(`service worker: dist/sw.js, release ${buildId}, precaching ${count} files (${(size / 1024).toFixed(0)} kB)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
