// The public key that verifies an access token, looked up by `kid` in auth's JWKS. get-jwks fetches
// and caches the JWK set; its own `getPublicKey` converts the JWK to PEM on every call with
// jwk-to-pem, pure-JavaScript elliptic-curve arithmetic costing milliseconds — it was ~65 % of the
// gateway's CPU under the platform benchmark (and ran in every service, once per request). Here the
// conversion is done natively (node:crypto) once per JWK: get-jwks hands back the same object while
// it is cached, so a key it re-fetches (rotation, cache expiry) is converted again.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import buildGetJwks from 'get-jwks';

export interface TokenKeyHeader {
  kid?: string;
  alg?: string;
}

export type PublicKeyResolver = (header: TokenKeyHeader) => Promise<string>;

export function jwksPublicKeys(jwksUrl: string, opts: { maxKeys?: number; ttlMs?: number } = {}): PublicKeyResolver {
  const url = new URL(jwksUrl);
  const getJwks = buildGetJwks({ jwksPath: url.pathname, max: opts.maxKeys ?? 10, ttl: opts.ttlMs ?? 10 * 60_000, providerDiscovery: false });
  const pemOf = new WeakMap<object, string>();
  // The key is looked up by `kid` at the configured auth origin, never at a URL taken from the token.
  return async ({ kid, alg }) => {
    const jwk = (await getJwks.getJwk({ kid: kid ?? '', alg: alg ?? 'ES256', domain: url.origin })) as JsonWebKey;
    let pem = pemOf.get(jwk);
    if (pem === undefined) {
      pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      pemOf.set(jwk, pem);
    }
    return pem;
  };
}
