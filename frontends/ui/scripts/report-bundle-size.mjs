#!/usr/bin/env node
// Prints the gzip size of what a browser downloads first: the shell's initial JavaScript
// (index.html's entry and everything it statically imports) and each remote's remoteEntry.js.
// Informational, never a failing check. Run after the builds (the shell's `build` script does).
//   node frontends/ui/scripts/report-bundle-size.mjs [frontendsDir]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const REMOTES = ['auth', 'payments', 'admin'];

/** @param {string} file */
export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
/** @param {number} n */
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

/** Static import closure of a set of JS files (relative specifiers in minified ESM output). */
/** @param {string[]} entries */
export function staticClosure(entries) {
  const seen = new Set();
  // Absolute paths throughout: an entry given relative and reached again by import is one file.
  const stack = entries.map((e) => resolve(e));
  while (stack.length) {
    const file = /** @type {string} */ (stack.pop());
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // `import{a}from"./x.js"` and `import"./x.js"`, but not `import("./x.js")` (lazy).
    for (const m of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      stack.push(resolve(dirname(file), /** @type {string} */ (m[1])));
    }
  }
  return [...seen];
}

/** @param {string} dir */
function allJs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f));
}

/** @param {string} frontends */
export function collectBundleSizes(frontends) {
  /** @type {{ app: string; what: string; files: number; gzip: number }[]} */
  const rows = [];
  const shellDist = join(frontends, 'shell', 'dist');
  const html = join(shellDist, 'index.html');
  if (existsSync(html)) {
    const source = readFileSync(html, 'utf8');
    const entries = [...source.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) =>
      join(shellDist, /** @type {string} */ (m[1]).replace(/^\//, '')),
    );
    const initial = staticClosure(entries);
    rows.push({ app: 'shell', what: 'initial JS', files: initial.length, gzip: initial.reduce((s, f) => s + gzipBytes(f), 0) });
    const all = allJs(shellDist);
    rows.push({ app: 'shell', what: 'all JS', files: all.length, gzip: all.reduce((s, f) => s + gzipBytes(f), 0) });
  }
  for (const remote of REMOTES) {
    const dist = join(frontends, remote, 'dist');
    const entry = join(dist, 'assets', 'remoteEntry.js');
    if (!existsSync(entry)) {
      rows.push({ app: remote, what: 'remoteEntry.js (not built)', files: 0, gzip: 0 });
      continue;
    }
    rows.push({ app: remote, what: 'remoteEntry.js', files: 1, gzip: gzipBytes(entry) });
    const all = allJs(dist);
    rows.push({ app: remote, what: 'all JS', files: all.length, gzip: all.reduce((s, f) => s + gzipBytes(f), 0) });
  }
  return rows;
}

/** @param {ReturnType<typeof collectBundleSizes>} rows */
export function formatTable(rows) {
  const header = ['app', 'bundle', 'files', 'gzip'];
  const body = rows.map((r) => [r.app, r.what, String(r.files), kb(r.gzip)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (/** @type {string[]} */ cells) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const frontends = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  process.stdout.write(`\nBundle sizes (gzip -9)\n${formatTable(collectBundleSizes(frontends))}\n\n`);
}
