// Issuing a token pair for a session, and revoking sessions with immediate effect: the
// database row is marked, and the session id goes into Redis for the access token's
// remaining lifetime so the gateway and every service reject it within a second.
import { addDays } from '../domain/time.ts';
import { currentRoleKey, revokedSessionKey } from '@bank/kit';
import { addToOutbox, createEvent } from '@bank/events';
import type { AuthContext, RequestMeta } from '../context.ts';
import { hashToken, newRefreshToken } from '../domain/tokens.ts';
import { insertRefreshToken, revokeSessions, type SessionRow } from '../repositories/sessions.ts';
import type { UserRow } from '../repositories/users.ts';
import { publicUser } from '../repositories/users.ts';
import type { Db } from '@bank/kit';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function issueTokens(ctx: AuthContext, tx: Tx, user: UserRow, sessionId: string) {
  const refreshToken = newRefreshToken();
  await insertRefreshToken(tx, {
    sessionId,
    tokenHash: hashToken(refreshToken),
    expiresAt: addDays(new Date(), ctx.config.REFRESH_TOKEN_TTL_DAYS),
  });
  return {
    accessToken: ctx.signAccessToken({ sub: user.id, role: user.role, sid: sessionId }),
    tokenType: 'Bearer' as const,
    expiresIn: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken,
    sessionId,
    user: publicUser(user),
  };
}

/**
 * Revoke sessions inside `tx`; outbox events go out with the commit. Call
 * `markRevokedInRedis` with the result after the transaction commits.
 */
export async function revokeInTx(
  ctx: AuthContext,
  tx: Tx,
  where: Parameters<typeof revokeSessions>[1],
  reason: string,
  meta: Pick<RequestMeta, 'requestId'>,
): Promise<SessionRow[]> {
  const revoked = await revokeSessions(tx, where, reason);
  const expiresAt = new Date(Date.now() + ctx.config.ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString();
  if (revoked.length > 0) {
    await addToOutbox(
      tx,
      revoked.map((s) =>
        createEvent({
          type: 'auth.session.revoked',
          source: 'auth',
          correlationId: meta.requestId,
          data: { userId: s.userId, sessionId: s.id, reason, expiresAt },
        }),
      ),
    );
  }
  return revoked;
}

export async function markRevokedInRedis(ctx: AuthContext, revoked: Pick<SessionRow, 'id'>[]) {
  if (revoked.length === 0) return;
  const pipeline = ctx.redis.pipeline();
  // Slightly longer than a token's life so a token minted just before revocation is covered too.
  for (const s of revoked) pipeline.set(revokedSessionKey(s.id), '1', 'EX', ctx.config.ACCESS_TOKEN_TTL_SECONDS + 60);
  await pipeline.exec();
}

export type { Tx, RequestMeta };

/**
 * After a role change commits: from now on every access token of the user carrying another role
 * is refused (the kit's authenticate compares it on each request, next to the revocation marker).
 * Kept as long as a token minted before the change can live; refresh mints the new role.
 */
export async function markRoleInRedis(ctx: AuthContext, userId: string, role: string) {
  await ctx.redis.set(currentRoleKey(userId), role, 'EX', ctx.config.ACCESS_TOKEN_TTL_SECONDS + 60);
}
