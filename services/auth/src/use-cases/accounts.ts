// Sign-up, sign-in, refresh, sign-out. Each business change and its events commit in one
// transaction (outbox); Redis holds only counters and revocation markers.
import { v7 as uuidv7 } from 'uuid';
import { addToOutbox, createEvent } from '@bank/events';
import type { AuthContext, RequestMeta } from '../context.ts';
import {
  AccountDisabled,
  EmailTaken,
  InvalidCredentials,
  InvalidRefreshToken,
  RefreshTokenReused,
  TooManyAttempts,
} from '../domain/errors.ts';
import { burnVerifyTime, hashPassword, needsRehash, verifyPassword } from '../domain/passwords.ts';
import { defaultDeviceName, deviceTypeFromUserAgent } from '../domain/device.ts';
import { addDays } from '../domain/time.ts';
import { hashToken } from '../domain/tokens.ts';
import { loginAttempts } from '../db/schema.ts';
import { findByEmail, findById, insertUser, normaliseEmail, publicUser, updateUser, type Role } from '../repositories/users.ts';
import {
  consumeRefreshToken,
  findSession,
  insertSession,
  isRefreshTokenUsable,
  sessionById,
  touchSession,
  upsertDevice,
} from '../repositories/sessions.ts';
import { openSuccessor, refreshGraceKey, sealSuccessor } from '../domain/refresh-grace.ts';
import { issueTokens, markRevokedInRedis, revokeInTx, type Tx } from './session-tokens.ts';

export async function signUp(
  ctx: AuthContext,
  input: { email: string; password: string; name: string; role?: Role },
  meta: Pick<RequestMeta, 'requestId'>,
) {
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.db.transaction(async (tx) => {
    const created = await insertUser(tx, {
      id: uuidv7(),
      email: input.email,
      name: input.name.trim(),
      role: input.role ?? 'CUSTOMER',
      passwordHash,
    });
    if (!created) throw EmailTaken('An account with this email already exists');
    await addToOutbox(
      tx,
      createEvent({
        type: 'auth.user.registered',
        source: 'auth',
        correlationId: meta.requestId,
        data: { userId: created.id, email: created.email, name: created.name, role: created.role },
      }),
    );
    return created;
  });
  ctx.log.info({ userId: user.id }, 'user registered');
  return publicUser(user);
}

export interface SignInInput {
  email: string;
  password: string;
  deviceId?: string;
  deviceName?: string;
}

export async function signIn(ctx: AuthContext, input: SignInInput, meta: RequestMeta) {
  const email = normaliseEmail(input.email);
  // Reserved before the password is checked, so parallel guesses cannot outrun the count.
  const waitSeconds = await ctx.loginThrottle.reserve(email, meta.ip);
  if (waitSeconds > 0) {
    throw TooManyAttempts('Too many failed attempts from this address; wait before trying again', { retryAfterSeconds: waitSeconds });
  }

  const user = await findByEmail(ctx.db, email);
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : (await burnVerifyTime(input.password), false);
  if (!user || !passwordOk) {
    await recordFailedAttempt(ctx, email, meta, user ? 'bad-password' : 'unknown-email');
    throw InvalidCredentials('Email or password is incorrect');
  }
  if (user.status !== 'active') {
    await recordFailedAttempt(ctx, email, meta, 'account-disabled');
    throw AccountDisabled('This account has been disabled; contact support');
  }
  await ctx.loginThrottle.release(email, meta.ip);

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : undefined;
  const clientDeviceId = input.deviceId ?? uuidv7();
  const deviceName = input.deviceName?.trim() || defaultDeviceName(meta.userAgent);

  const result = await ctx.db.transaction(async (tx) => {
    if (rehash) await updateUser(tx, user.id, { passwordHash: rehash });
    const device = await upsertDevice(tx, {
      userId: user.id,
      clientDeviceId,
      name: deviceName,
      type: deviceTypeFromUserAgent(meta.userAgent),
      userAgent: meta.userAgent,
    });
    const session = await insertSession(tx, {
      userId: user.id,
      deviceId: device.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      expiresAt: addDays(new Date(), ctx.config.REFRESH_TOKEN_TTL_DAYS),
    });
    await tx.insert(loginAttempts).values({ id: uuidv7(), email, ip: meta.ip, success: true });
    await addToOutbox(tx, [
      createEvent({
        type: 'auth.session.created',
        source: 'auth',
        correlationId: meta.requestId,
        data: { userId: user.id, sessionId: session.id, deviceId: clientDeviceId, deviceName },
      }),
      createEvent({
        type: 'auth.user.login',
        source: 'auth',
        correlationId: meta.requestId,
        data: { userId: user.id, sessionId: session.id, deviceId: clientDeviceId, ip: meta.ip },
      }),
    ]);
    return { ...(await issueTokens(ctx, tx, user, session.id)), deviceId: clientDeviceId };
  });
  ctx.log.info({ userId: user.id, sessionId: result.sessionId }, 'signed in');
  return result;
}

async function recordFailedAttempt(ctx: AuthContext, email: string, meta: RequestMeta, reason: string) {
  await ctx.db.transaction(async (tx) => {
    await tx.insert(loginAttempts).values({ id: uuidv7(), email, ip: meta.ip, success: false, reason });
    await addToOutbox(
      tx,
      createEvent({
        type: 'auth.login.failed',
        source: 'auth',
        correlationId: meta.requestId,
        data: { email: email.slice(0, 320), ip: meta.ip, reason },
      }),
    );
  });
  ctx.log.warn({ reason, ip: meta.ip }, 'sign-in failed');
}

/**
 * Rotates the refresh token. Presenting an already-used token revokes the whole session — unless
 * it was rotated less than REFRESH_REUSE_GRACE_SECONDS ago and its successor is still unused: then
 * the caller is a concurrent twin of the refresh that rotated it, and gets the same successor.
 */
export async function refresh(ctx: AuthContext, refreshToken: string, meta: RequestMeta) {
  const tokenHash = hashToken(refreshToken);
  const outcome = await ctx.db.transaction(async (tx) => {
    const consumed = await consumeRefreshToken(tx, tokenHash);
    if (consumed.kind === 'unknown') return { error: 'invalid' as const };
    if (consumed.kind === 'reused') {
      const twin = await graceSuccessor(ctx, tx, refreshToken, tokenHash, consumed.sessionId);
      if (twin) return { tokens: twin };
      const revoked = await revokeInTx(ctx, tx, sessionById(consumed.sessionId), 'refresh-token-reuse', meta);
      return { error: 'reused' as const, revoked };
    }
    const { session } = consumed;
    if (session.revokedAt || session.expiresAt < new Date()) return { error: 'invalid' as const };
    const user = await findById(tx, session.userId);
    if (!user || user.status !== 'active') return { error: 'invalid' as const };
    await touchSession(tx, session.id, meta.ip);
    const tokens = await issueTokens(ctx, tx, user, session.id);
    // Written before the commit: a concurrent twin blocked on this row's lock reads it right
    // after the commit releases the lock.
    if (ctx.config.REFRESH_REUSE_GRACE_SECONDS > 0) {
      await ctx.redis.set(refreshGraceKey(tokenHash), sealSuccessor(refreshToken, tokens.refreshToken), 'EX', ctx.config.REFRESH_REUSE_GRACE_SECONDS);
    }
    return { tokens };
  });
  if ('tokens' in outcome && outcome.tokens) return outcome.tokens;
  if (outcome.error === 'reused') {
    await markRevokedInRedis(ctx, outcome.revoked ?? []);
    ctx.log.warn({ sessions: outcome.revoked?.map((s) => s.id) }, 'refresh token reuse: session revoked');
    throw RefreshTokenReused('This refresh token was already used; the session has been signed out');
  }
  throw InvalidRefreshToken('Sign in again');
}

/** The pair for a twin refresh within the grace window, or undefined when it is a real replay. */
async function graceSuccessor(ctx: AuthContext, tx: Tx, refreshToken: string, tokenHash: string, sessionId: string) {
  if (ctx.config.REFRESH_REUSE_GRACE_SECONDS === 0) return undefined;
  const sealed = await ctx.redis.get(refreshGraceKey(tokenHash));
  const successor = sealed ? openSuccessor(refreshToken, sealed) : undefined;
  // Once the successor has been used in turn, the old token is a replay again.
  if (!successor || !(await isRefreshTokenUsable(tx, hashToken(successor)))) return undefined;
  const session = await findSession(tx, sessionId);
  if (!session || session.revokedAt || session.expiresAt < new Date()) return undefined;
  const user = await findById(tx, session.userId);
  if (!user || user.status !== 'active') return undefined;
  ctx.log.info({ sessionId }, 'concurrent refresh within the grace window: same successor returned');
  return {
    accessToken: ctx.signAccessToken({ sub: user.id, role: user.role, sid: session.id }),
    tokenType: 'Bearer' as const,
    expiresIn: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken: successor,
    sessionId: session.id,
    user: publicUser(user),
  };
}

export async function signOut(ctx: AuthContext, claims: { sub: string; sid: string }, meta: RequestMeta) {
  const revoked = await ctx.db.transaction(async (tx) => {
    const rows = await revokeInTx(ctx, tx, sessionById(claims.sid), 'sign-out', meta);
    if (rows.length > 0) {
      await addToOutbox(
        tx,
        createEvent({
          type: 'auth.user.logout',
          source: 'auth',
          correlationId: meta.requestId,
          data: { userId: claims.sub, sessionId: claims.sid },
        }),
      );
    }
    return rows;
  });
  await markRevokedInRedis(ctx, revoked);
}

export async function me(ctx: AuthContext, userId: string) {
  const user = await findById(ctx.db, userId);
  if (!user) throw InvalidCredentials('Sign in again');
  return publicUser(user);
}
