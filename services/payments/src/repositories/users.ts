// known_users: the local replica of auth's users (fed by events, never by auth's database).
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { knownUsers } from '../db/schema.ts';
import type { DbOrTx } from './tx.ts';

export type KnownUser = typeof knownUsers.$inferSelect;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findUserById(db: DbOrTx, id: string): Promise<KnownUser | undefined> {
  const [row] = await db.select().from(knownUsers).where(eq(knownUsers.id, id)).limit(1);
  return row;
}

/** The replica rows of these users by id, in one query (a page of payments' parties, a processor batch). */
export async function findUsersByIds(db: DbOrTx, ids: readonly string[]): Promise<Map<string, KnownUser>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(knownUsers).where(inArray(knownUsers.id, [...new Set(ids)]));
  return new Map(rows.map((u) => [u.id, u]));
}

/** Emails are unique in auth; if a stale replica row shares one, the active account wins. */
export async function findUserByEmail(db: DbOrTx, email: string): Promise<KnownUser | undefined> {
  const [row] = await db
    .select()
    .from(knownUsers)
    .where(eq(knownUsers.email, normaliseEmail(email)))
    .orderBy(asc(knownUsers.status))
    .limit(1);
  return row;
}

/** Insert or update from an event; an event older than the last one applied changes nothing. */
export async function upsertUser(
  db: DbOrTx,
  user: { id: string; email: string; name: string; role: KnownUser['role']; status: KnownUser['status']; eventAt: Date },
): Promise<void> {
  const values = { id: user.id, email: normaliseEmail(user.email), name: user.name, role: user.role, status: user.status, lastEventAt: user.eventAt };
  await db
    .insert(knownUsers)
    .values(values)
    .onConflictDoUpdate({
      target: knownUsers.id,
      set: { email: values.email, name: values.name, role: values.role, status: values.status, lastEventAt: values.lastEventAt, updatedAt: new Date() },
      setWhere: lte(knownUsers.lastEventAt, values.lastEventAt),
    });
}

export async function disableUser(db: DbOrTx, id: string, eventAt: Date): Promise<void> {
  await db
    .update(knownUsers)
    .set({ status: 'disabled', lastEventAt: eventAt, updatedAt: new Date() })
    .where(and(eq(knownUsers.id, id), lte(knownUsers.lastEventAt, eventAt)));
}

export const countUsers = async (db: DbOrTx) => (await db.select({ n: sql<number>`count(*)::int` }).from(knownUsers))[0]?.n ?? 0;
