// The successor of a rotated refresh token, kept for a few seconds so that concurrent refreshes
// with the same token (two tabs waking up, a retried request) get the same successor instead of
// tripping reuse detection. Stored in Redis under the old token's SHA-256, encrypted
// (AES-256-GCM) with a key derived from the old token itself: only a holder of the old token can
// read it, and Redis never holds a usable refresh token in clear.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const refreshGraceKey = (oldTokenHash: string) => `auth:refresh-grace:${oldTokenHash}`;

const keyFor = (oldToken: string) => Buffer.from(hkdfSync('sha256', oldToken, 'bank-refresh-grace', 'successor-v1', 32));

export function sealSuccessor(oldToken: string, successor: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(oldToken), iv);
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The successor, or undefined when the value is not one sealed with this token. */
export function openSuccessor(oldToken: string, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyFor(oldToken), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
