// Password hashing: argon2id (OWASP parameters) for new hashes; bcrypt hashes of users
// migrated from the legacy platform are still accepted and upgraded on their next sign-in.
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2_OPTIONS);

const isBcrypt = (hash: string) => /^\$2[aby]\$/.test(hash);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (isBcrypt(hash)) return bcrypt.compare(password, hash);
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True for legacy bcrypt hashes and argon2 hashes made with weaker parameters. */
export const needsRehash = (hash: string) => isBcrypt(hash) || argon2.needsRehash(hash, ARGON2_OPTIONS);

// Verifying against a real hash when the email is unknown keeps response times equal,
// so timing does not reveal which emails have accounts.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}
