// Is the platform reachable? The self-signed certificate of the native stack is accepted here
// on purpose (the browser does the same with ignoreHTTPSErrors).
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { BASE_URL, REQUIRED } from './env.ts';

export function stackAvailable(): Promise<boolean> {
  const url = new URL('/api/auth/.well-known/jwks.json', BASE_URL);
  const make = url.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve) => {
    const req = make(url, { rejectUnauthorized: false, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Skips the file with a note when the platform is down, unless E2E_REQUIRED=1 (then it fails). */
export async function requireStack(t: { plan: (n: number, why?: string) => void; fail: (msg: string) => unknown }): Promise<boolean> {
  if (await stackAvailable()) return true;
  const note = `platform not reachable at ${BASE_URL} (start it with \`npm start\`)`;
  if (REQUIRED) t.fail(note);
  else t.plan(0, note); // tap reports the whole file as skipped, with this note
  return false;
}
