// Builds the platform's images on this machine: the local base images (base.sh, once per
// recipe), then every component of scripts/lib/images.ts, each target with its local tag.
// `npm run images [-- <component>…]` runs it; the test runner's image phase imports it.
// Builds run two at a time (two cores); each build's log goes to .run/images/<tag>.log.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { BASE_IMAGES, IMAGES, type ImageSpec, type ImageTarget } from '../lib/images.ts';
import { REPO_ROOT, RUN_DIR } from '../lib/local-env.ts';
import { ensureEngine } from './engine.ts';

export const LOG_DIR = `${RUN_DIR}/images`;

export interface BuildResult {
  component: string;
  target: ImageTarget;
  tag: string;
  ok: boolean;
  seconds: number;
  /** Uncompressed image size in bytes, as `docker image ls` counts it. */
  bytes: number;
  log: string;
}

function exec(cmd: string, args: string[], logFile?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => {
      if (logFile) writeFileSync(logFile, output);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Local base images (bank-base/node:24, bank-base/nginx:bookworm); built only when their recipe changed. */
export async function buildBaseImages(): Promise<{ ok: boolean; seconds: number; output: string }> {
  const started = Date.now();
  mkdirSync(LOG_DIR, { recursive: true });
  const { code, output } = await exec('bash', ['scripts/images/base.sh'], `${LOG_DIR}/base.log`);
  return { ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), output };
}

async function buildOne(docker: string, image: ImageSpec, target: ImageTarget): Promise<BuildResult> {
  const tag = image.tags[target]!;
  const log = `${LOG_DIR}/${tag.replace(/[/:]/g, '_')}.log`;
  const started = Date.now();
  const { code } = await exec(docker, [
    'build', '--progress=plain',
    '--file', image.dockerfile,
    '--target', target,
    '--build-arg', `NODE_IMAGE=${BASE_IMAGES.node}`,
    '--build-arg', `NGINX_IMAGE=${BASE_IMAGES.nginx}`,
    '--tag', tag,
    image.context,
  ], log);
  const seconds = Math.round((Date.now() - started) / 1000);
  const size = code === 0 ? await exec(docker, ['image', 'inspect', '--format', '{{.Size}}', tag]) : undefined;
  return { component: image.component, target, tag, ok: code === 0, seconds, bytes: Number(size?.output.trim() ?? 0), log };
}

/**
 * Builds every target of the given components (default: all), two components at a time; a
 * component's targets build one after the other so the dev target reuses the runtime layers.
 */
export async function buildImages(docker: string, components?: string[], onResult?: (r: BuildResult) => void): Promise<BuildResult[]> {
  mkdirSync(LOG_DIR, { recursive: true });
  const queue = IMAGES.filter((i) => !components?.length || components.includes(i.component));
  const results: BuildResult[] = [];
  const worker = async () => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      for (const target of Object.keys(image.tags) as ImageTarget[]) {
        const r = await buildOne(docker, image, target);
        results.push(r);
        onResult?.(r);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

async function main(args: string[]) {
  const unknown = args.filter((a) => !IMAGES.some((i) => i.component === a));
  if (unknown.length) {
    console.error(`unknown component(s): ${unknown.join(', ')} (known: ${IMAGES.map((i) => i.component).join(', ')})`);
    return 2;
  }
  const started = Date.now();
  const engine = await ensureEngine();
  if (!engine.ok) {
    console.error(`✖ ${engine.reason}`);
    return 1;
  }
  const base = await buildBaseImages();
  process.stdout.write(base.output);
  if (!base.ok) {
    console.error(`✖ base images failed (log: ${LOG_DIR}/base.log)`);
    return 1;
  }
  const results = await buildImages(engine.docker, args, (r) => {
    console.log(`${r.ok ? '✔' : '✖'} ${r.tag.padEnd(26)} ${String(r.seconds).padStart(4)} s  ${r.ok ? megabytes(r.bytes).padStart(7) : `failed, log: ${r.log}`}`);
  });
  const failed = results.filter((r) => !r.ok);
  console.log(`${results.length - failed.length} images built, ${failed.length} failed in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const f of failed) console.log(`\n── ${f.tag} (${f.log})\n${(await exec('tail', ['-n', '30', f.log])).output}`);
  return failed.length ? 1 : 0;
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
