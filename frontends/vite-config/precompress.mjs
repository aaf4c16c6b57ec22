#!/usr/bin/env node
// Writes a gzip (level 9) copy next to every text file of a built front-end (`x.js` → `x.js.gz`),
// for nginx's gzip_static: the edge sends the smallest encoding without compressing on each
// request, and small files (remoteEntry.js, config.json, theme-init.js) are compressed too,
// though they are under the on-the-fly gzip's minimum length. A copy that would not be smaller is
// not written. The Vite plugin in index.mjs runs it after each build; the shell's service-worker
// build runs it again for dist/sw.js.
//   node frontends/vite-config/precompress.mjs <dist>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|json|svg|webmanifest|txt|map)$/;

/** @param {string} dir */
export function precompress(dir) {
  let files = 0;
  let before = 0;
  let after = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, name);
    if (!TEXT.test(name) || name.endsWith('.map') || !statSync(file).isFile()) continue;
    const raw = readFileSync(file);
    const gz = gzipSync(raw, { level: 9 });
    if (gz.length >= raw.length) continue;
    writeFileSync(`${file}.gz`, gz);
    files += 1;
    before += raw.length;
    after += gz.length;
  }
  return { files, before, after };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? 'dist');
  const { files, before, after } = precompress(dir);
  console.warn(`precompressed ${files} files in ${dir}: ${(before / 1024).toFixed(0)} kB → ${(after / 1024).toFixed(0)} kB gzip`);
}
