// Minifies the shell's classic scripts (public/early-requests.js, public/theme-init.js) in the
// built output. Vite copies public/ as it is, so their comments — the reasons, kept in the sources —
// were shipped: early-requests.js is counted in the sign-in page's JavaScript (≤ 130 kB, issue 13),
// and was 1.7 kB gzipped with them, ≈ 0.8 kB without (docs/benchmarks/frontend.md, branch fe13e).
// Not module code: top-level names stay as written (`module: false`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify_sync } from 'terser';

export const CLASSIC_SCRIPTS = ['early-requests.js', 'theme-init.js'];

/**
 * @param {string} dir the built output (dist)
 * @param {string[]} names files directly in `dir`; a missing one is skipped
 * @returns {{ files: number; before: number; after: number }}
 */
export function minifyClassicScripts(dir, names = CLASSIC_SCRIPTS) {
  let files = 0;
  let before = 0;
  let after = 0;
  for (const name of names) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const source = readFileSync(file, 'utf8');
    const { code } = minify_sync(source, { module: false, compress: { passes: 2 }, format: { comments: false } });
    if (code === undefined) throw new Error(`terser returned nothing for ${file}`);
    writeFileSync(file, code);
    files += 1;
    before += source.length;
    after += code.length;
  }
  return { files, before, after };
}
