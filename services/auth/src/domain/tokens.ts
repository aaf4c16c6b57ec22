// Token material. Access tokens: ES256 JWTs carrying sub/role/sid, verified by everyone with
// the public key published as JWKS. Refresh tokens: 256-bit random strings, stored as SHA-256.
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSigner } from 'fast-jwt';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessClaims } from '@bank/kit';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
  publicPem: string;
}

export function loadSigningKey(path: string): SigningKey {
  return signingKeyFromPem(readFileSync(path, 'utf8'));
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('JWT private key must be an EC P-256 key (ES256)');
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  // RFC 7638 thumbprint as key id: stable across replicas and restarts.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return {
    kid: thumbprint,
    privateKey,
    publicJwk: { ...jwk, kid: thumbprint, alg: 'ES256', use: 'sig' },
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function createAccessTokenSigner(key: SigningKey, ttlSeconds: number) {
  const signer = createSigner({
    key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    algorithm: 'ES256',
    kid: key.kid,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    expiresIn: ttlSeconds * 1000,
  });
  return (claims: AccessClaims): string => signer({ ...claims });
}

export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
