// The cache never stores secrets, password hashes or tokens (DESIGN §9): Redis is shared,
// unencrypted at rest and readable by anyone with its password, and cached copies outlive the
// revocation or rotation of the original. Two checks, both cheap:
//   - names: an object field (at any depth), key segment or tag named like a secret is refused;
//   - shapes: a string value that looks like a JWT or a password hash is refused.
// Refusal throws CacheSecretError: caching a secret is a programming error, not a runtime
// condition to tolerate, and the tests of the calling service should catch it.

/** Field names (compared lower-cased with `_`/`-` removed) that are never cached. */
export const SECRET_FIELD_NAMES = [
  'password',
  'passwordhash',
  'passwd',
  'pin',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'tokenhash',
  'secret',
  'clientsecret',
  'apikey',
  'privatekey',
  'authorization',
  'cookie',
  'sessiontoken',
  'otp',
  'cvv',
] as const;

const denied = new Set<string>(SECRET_FIELD_NAMES);
const normalise = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

/** JWT (three base64url parts, header starting `{"`), argon2/bcrypt/scrypt/PBKDF2 crypt strings. */
const SECRET_SHAPES: Array<[string, RegExp]> = [
  ['a JWT', /^eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/],
  ['a password hash', /^\$(argon2(id|i|d)|2[abxy]|scrypt|pbkdf2[-a-z0-9]*|[156])\$/],
  ['a PEM key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

export class CacheSecretError extends Error {
  readonly code = 'CACHE_SECRET_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'CacheSecretError';
  }
}

export const isSecretName = (name: string) => denied.has(normalise(name));

/** A key or tag segment (split on `:`, `.`, `=`, `,`, `|`) named like a secret is refused. */
export function assertNoSecretName(value: string, what: string): void {
  for (const part of value.split(/[:.=,|@]/)) {
    if (isSecretName(part)) throw new CacheSecretError(`${what} contains the secret-like segment "${part}"`);
  }
}

/** Walks a JSON-serialisable value; throws on a secret-named field or a secret-shaped string. */
export function assertNoSecrets(value: unknown, path = '$', depth = 0): void {
  if (depth > 32) throw new CacheSecretError(`value nested deeper than 32 levels at ${path}`);
  if (typeof value === 'string') {
    for (const [label, shape] of SECRET_SHAPES) {
      if (shape.test(value)) throw new CacheSecretError(`value at ${path} looks like ${label}`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoSecrets(item, `${path}[${index}]`, depth + 1));
    return;
  }
  for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretName(field)) throw new CacheSecretError(`value has the secret-like field ${path}.${field}`);
    assertNoSecrets(item, `${path}.${field}`, depth + 1);
  }
}
