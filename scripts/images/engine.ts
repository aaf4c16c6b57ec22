// The Docker engine for the image phase, from TypeScript: runs scripts/lib/docker.sh's
// ensure_docker (install/start as root on Debian) and returns the client to use, or why there
// is no engine (ensure_docker's one line).
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../lib/local-env.ts';

export type Engine = { ok: true; docker: string } | { ok: false; reason: string };

export function ensureEngine(): Promise<Engine> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', '. scripts/lib/docker.sh && ensure_docker && echo "DOCKER=$DOCKER"'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // Progress lines (apt-get, starting dockerd) pass through; the reason line is the caller's to print.
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      for (const line of c.toString().split('\n')) if (line && !line.startsWith('no Docker engine')) process.stderr.write(`${line}\n`);
    });
    child.on('close', (code) => {
      const docker = /^DOCKER=(.+)$/m.exec(out)?.[1];
      if (code === 0 && docker) resolve({ ok: true, docker });
      else {
        const line = err.trim().split('\n').filter((l) => /no Docker engine/.test(l)).at(-1) ?? err.trim().split('\n').at(-1);
        resolve({ ok: false, reason: line ?? `ensure_docker exited with ${code}` });
      }
    });
  });
}
