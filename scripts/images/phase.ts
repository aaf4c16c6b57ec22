// The image phase of `npm test` (`npm test -- images`): a Docker engine (installed and started
// when missing, as root on Debian), the local base images (once per recipe), then every image
// of scripts/lib/images.ts, each target built for real. One row per image in the test summary
// (a built target counts as passed, a failed build as failed). Without an engine the phase is
// skipped with one line saying why, and the summary shows it: never a silent pass.
// Steps that run the built images (container tests) belong after the builds, in this folder.
import { IMAGES } from '../lib/images.ts';
import { buildBaseImages, buildImages, LOG_DIR, megabytes, type BuildResult } from './build.ts';
import { ensureEngine } from './engine.ts';

export interface PhaseRow {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

export interface PhaseOutcome {
  rows: PhaseRow[];
  /** Set when the phase could not run: why (printed as `image phase skipped: <why>`). */
  skipped?: string;
}

export async function imagesPhase(): Promise<PhaseOutcome> {
  const engine = await ensureEngine();
  if (!engine.ok) {
    console.log(`\x1b[33mimage phase skipped: ${engine.reason}\x1b[0m`);
    return { rows: [{ name: 'images (skipped: no Docker engine)', passed: 0, failed: 0, skipped: 1, seconds: 0 }], skipped: engine.reason };
  }

  const base = await buildBaseImages();
  process.stdout.write(base.output);
  const rows: PhaseRow[] = [{ name: 'images: local base images (node, nginx)', passed: base.ok ? 1 : 0, failed: base.ok ? 0 : 1, skipped: 0, seconds: base.seconds }];
  if (!base.ok) {
    console.log(`\x1b[31mbase images failed (log: ${LOG_DIR}/base.log)\x1b[0m`);
    return { rows };
  }

  const built = await buildImages(engine.docker, undefined, (r) => {
    console.log(`${r.ok ? '✔' : '\x1b[31m✖\x1b[0m'} ${r.tag.padEnd(26)} ${String(r.seconds).padStart(4)} s  ${r.ok ? megabytes(r.bytes) : `build failed, log: ${r.log}`}`);
  });
  for (const image of IMAGES) {
    const mine = built.filter((r) => r.component === image.component);
    const label = mine.map((r: BuildResult) => `:${r.tag.split(':')[1]}${r.ok && r.target === 'runtime' ? ` ${megabytes(r.bytes)}` : r.ok ? '' : ' ✖'}`).join(', ');
    rows.push({
      name: `image ${image.repository} (${label})`,
      passed: mine.filter((r) => r.ok).length,
      failed: mine.filter((r) => !r.ok).length + (mine.length === 0 ? 1 : 0),
      skipped: 0,
      seconds: mine.reduce((s, r) => s + r.seconds, 0),
    });
  }
  return { rows };
}
