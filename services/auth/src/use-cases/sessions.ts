// A user's own sessions (devices): list, revoke one, revoke all others.
import { and, eq } from 'drizzle-orm';
import type { AuthContext, RequestMeta } from '../context.ts';
import { SessionNotFound } from '../domain/errors.ts';
import { sessions } from '../db/schema.ts';
import { listActiveSessions, otherSessionsOfUser } from '../repositories/sessions.ts';
import { markRevokedInRedis, revokeInTx } from './session-tokens.ts';
import { pendingActivity } from './session-activity.ts';

export async function listSessions(ctx: AuthContext, claims: { sub: string; sid: string }) {
  const rows = await listActiveSessions(ctx.db, claims.sub);
  // Activity the gateway recorded since the last flush is newer than the database's value.
  const pending = await pendingActivity(ctx.redis, ctx.config.SESSION_ACTIVITY_KEY, rows.map((r) => r.id));
  return rows
    .map((r) => {
      const recent = pending.get(r.id);
      const lastActiveAt = recent && recent > r.lastActiveAt ? recent : r.lastActiveAt;
      return {
        id: r.id,
        deviceId: r.deviceId,
        deviceName: r.deviceName,
        deviceType: r.deviceType,
        ip: r.ip,
        userAgent: r.userAgent,
        createdAt: r.createdAt.toISOString(),
        lastActiveAt: lastActiveAt.toISOString(),
        current: r.id === claims.sid,
      };
    })
    .sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt));
}

export async function revokeSession(ctx: AuthContext, claims: { sub: string }, sessionId: string, meta: RequestMeta) {
  // Scoped to the caller's own sessions: another user's session id is simply "not found".
  const revoked = await ctx.db.transaction((tx) =>
    revokeInTx(ctx, tx, and(eq(sessions.id, sessionId), eq(sessions.userId, claims.sub)), 'revoked-by-user', meta),
  );
  if (revoked.length === 0) throw SessionNotFound('No active session with this id');
  await markRevokedInRedis(ctx, revoked);
}

export async function revokeOtherSessions(ctx: AuthContext, claims: { sub: string; sid: string }, meta: RequestMeta) {
  const revoked = await ctx.db.transaction((tx) =>
    revokeInTx(ctx, tx, otherSessionsOfUser(claims.sub, claims.sid), 'signed-out-elsewhere', meta),
  );
  await markRevokedInRedis(ctx, revoked);
  return revoked.length;
}
