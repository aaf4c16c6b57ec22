#!/usr/bin/env node
// The bundle budget: fails (exit 1) when what a browser downloads for a page, gzipped at level 9,
// exceeds its budget. Run over the built dist/ folders: the shell's `build` script runs it last
// (so `npm run build` and the static test phase fail on a regression). Budgets are for the pages
// the issue measures (docs/benchmarks/frontend.md) and leave a little room, not a lot.
//   node frontends/ui/scripts/bundle-budget.mjs [frontendsDir]
// What a page loads, from the build output alone:
//  - the shell's start: index.html's module script and modulepreloads, and their static imports,
//    less the shared singletons;
//  - the shared singletons the shell provides (react-router, react-query, @bank/platform,
//    @bank/ui, …: every `__federation_shared_*` chunk of the shell) — loaded on every page;
//  - the remote of the page: remoteEntry.js and its exposed App's static imports (a remote's own
//    shared chunks are not loaded: the shell's copies are used).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipBytes, staticClosure } from './report-bundle-size.mjs';

/**
 * kB (1024 bytes) gzip -9. The sign-in page's target is 130 kB (issue 13): it loads the shell, the
 * shared singletons and the auth remote only — tables, dialogs and formatting are in the
 * non-shared '@bank/ui/data', '@bank/ui/dialog' and '@bank/platform/format' (docs/benchmarks/frontend.md).
 */
export const BUDGETS = {
  'shell start (every page)': 80,
  'sign-in page (shell + shared + auth remote)': 130,
  'payments page (shell + shared + payments remote)': 140,
  'admin page (shell + shared + admin remote)': 160,
};

/** @param {string} dir */
const jsFiles = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f)) : []);

/** @param {string} frontends */
export function pageWeights(frontends) {
  const shell = join(frontends, 'shell', 'dist');
  const html = readFileSync(join(shell, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => join(shell, /** @type {string} */ (m[1]).replace(/^\//, '')));
  // Only the chunks this build names: a dist/ restored from turbo's cache over an older one keeps
  // the older build's chunks next to the current ones (turbo replays outputs, it does not empty).
  /** @param {string[]} files @param {string} text */
  const named = (files, text) => files.filter((f) => text.includes(basename(f)));
  const shared = staticClosure(named(jsFiles(join(shell, 'assets')).filter((f) => /__federation_shared_/.test(f)), html));
  // index.html also preloads the shared chunks (vite-config/preload-shared.mjs): they are counted
  // as shared, and the shell's start is its own code.
  const start = staticClosure(entries.filter((f) => !shared.includes(f)));
  /** @param {string} remote */
  const remoteFiles = (remote) => {
    const assets = join(frontends, remote, 'dist', 'assets');
    const entry = join(assets, 'remoteEntry.js');
    // The exposed modules are dynamic imports of remoteEntry.js: the ones it names.
    return staticClosure([entry, ...named(jsFiles(assets).filter((f) => /__federation_expose_/.test(f)), readFileSync(entry, 'utf8'))]);
  };
  /** @param {string[][]} groups */
  const weigh = (...groups) => {
    const files = new Set(groups.flat());
    return { files: files.size, gzip: [...files].reduce((s, f) => s + gzipBytes(f), 0) };
  };
  return {
    'shell start (every page)': weigh(start),
    'sign-in page (shell + shared + auth remote)': weigh(start, shared, remoteFiles('auth')),
    'payments page (shell + shared + payments remote)': weigh(start, shared, remoteFiles('payments')),
    'admin page (shell + shared + admin remote)': weigh(start, shared, remoteFiles('admin')),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const frontends = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const weights = pageWeights(frontends);
  let over = 0;
  console.warn('\nBundle budget (JavaScript, gzip -9)');
  for (const [page, budget] of Object.entries(BUDGETS)) {
    const w = weights[/** @type {keyof typeof weights} */ (page)];
    const kb = w.gzip / 1024;
    const ok = kb <= budget;
    if (!ok) over += 1;
    console.warn(`${ok ? 'ok  ' : 'OVER'}  ${page.padEnd(50)} ${String(w.files).padStart(3)} files  ${kb.toFixed(1).padStart(6)} kB  (budget ${budget} kB)`);
  }
  if (over) {
    console.error(`\n${over} page(s) over budget: find what grew (npx vite build, then the .map files) before raising a budget.`);
    process.exit(1);
  }
}
