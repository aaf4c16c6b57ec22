// Devices, sessions and refresh tokens.
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '@bank/kit';
import { devices, refreshTokens, sessions } from '../db/schema.ts';
import type { DeviceType } from '../domain/device.ts';

type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'execute'>;
export type SessionRow = typeof sessions.$inferSelect;

export async function upsertDevice(
  db: Tx,
  d: { userId: string; clientDeviceId: string; name: string; type: DeviceType; userAgent: string | undefined },
) {
  const [row] = await db
    .insert(devices)
    .values({ id: uuidv7(), ...d, userAgent: d.userAgent ?? null })
    .onConflictDoUpdate({
      target: [devices.userId, devices.clientDeviceId],
      set: { name: d.name, type: d.type, userAgent: d.userAgent ?? null, lastSeenAt: new Date() },
    })
    .returning();
  return row!;
}

export async function insertSession(
  db: Tx,
  s: { userId: string; deviceId: string; ip: string | undefined; userAgent: string | undefined; expiresAt: Date },
) {
  const [row] = await db
    .insert(sessions)
    .values({ id: uuidv7(), ...s, ip: s.ip ?? null, userAgent: s.userAgent ?? null })
    .returning();
  return row!;
}

export async function insertRefreshToken(db: Tx, t: { sessionId: string; tokenHash: string; expiresAt: Date }) {
  await db.insert(refreshTokens).values({ id: uuidv7(), ...t });
}

/**
 * Marks the token used in one statement, so two concurrent refreshes cannot both succeed.
 * Returns 'rotated' with the session, 'reused' when it had been used before, or 'unknown'.
 */
export async function consumeRefreshToken(
  db: Tx,
  tokenHash: string,
): Promise<{ kind: 'rotated'; session: SessionRow } | { kind: 'reused'; sessionId: string } | { kind: 'unknown' }> {
  const [rotated] = await db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, new Date())))
    .returning({ sessionId: refreshTokens.sessionId });
  if (rotated) {
    const [session] = await db.select().from(sessions).where(eq(sessions.id, rotated.sessionId)).limit(1);
    return session ? { kind: 'rotated', session } : { kind: 'unknown' };
  }
  const [existing] = await db
    .select({ sessionId: refreshTokens.sessionId, usedAt: refreshTokens.usedAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  if (existing?.usedAt) return { kind: 'reused', sessionId: existing.sessionId };
  return { kind: 'unknown' };
}

/** A refresh token that may still be rotated: unused and unexpired. */
export async function isRefreshTokenUsable(db: Tx, tokenHash: string): Promise<boolean> {
  const [row] = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), gt(refreshTokens.expiresAt, new Date())))
    .limit(1);
  return row !== undefined;
}

export async function findSession(db: Tx, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

/** Revokes the given sessions (if still active); returns the ones this call revoked. */
export async function revokeSessions(db: Tx, where: ReturnType<typeof and>, reason: string) {
  return db
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(where, isNull(sessions.revokedAt)))
    .returning();
}

export const sessionById = (id: string) => eq(sessions.id, id);
export const sessionsOfUser = (userId: string) => eq(sessions.userId, userId);
export const otherSessionsOfUser = (userId: string, keep: string) => and(eq(sessions.userId, userId), ne(sessions.id, keep));

/** Refreshes happen every few minutes per session, so "last active" costs one write per refresh. */
export async function touchSession(db: Tx, id: string, ip: string | undefined) {
  await db.update(sessions).set({ lastActiveAt: new Date(), ...(ip ? { ip } : {}) }).where(eq(sessions.id, id));
}

/** Active sessions with their device, newest activity first. */
export async function listActiveSessions(db: Tx, userId: string) {
  return db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
      deviceId: devices.clientDeviceId,
      deviceName: devices.name,
      deviceType: devices.type,
    })
    .from(sessions)
    .innerJoin(devices, eq(devices.id, sessions.deviceId))
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastActiveAt));
}

/** Moves last_active_at forward (never back) for a batch of sessions, in one statement. */
export async function advanceLastActive(db: Tx, entries: Array<{ id: string; at: Date }>) {
  if (entries.length === 0) return;
  const values = sql.join(
    entries.map((e) => sql`(${e.id}::uuid, ${e.at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  await db.execute(
    sql`update ${sessions} set last_active_at = greatest(${sessions.lastActiveAt}, v.at) from (values ${values}) as v(id, at) where ${sessions.id} = v.id`,
  );
}
