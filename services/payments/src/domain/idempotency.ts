// Idempotency-Key semantics, pure parts: the key's shape and the request fingerprint.
// The fingerprint is a SHA-256 of the canonical JSON of the validated body (object keys sorted),
// so the same request re-sent with another key order or whitespace is still "the same body".
import { createHash } from 'node:crypto';

/** Printable ASCII without spaces, 8–255 characters (a UUID is the intended value). */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{8,255}$';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');
