// Profiles table access. Every function takes the database or a transaction, so use-cases
// decide the transaction boundaries.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@bank/kit';
import { profiles } from '../db/schema.ts';
import { defaultPreferences, withDefaultPreferences, type ProfileFields } from '../domain/profile.ts';

export type ProfileRow = typeof profiles.$inferSelect;
type Tx = Pick<Db, 'select' | 'insert' | 'update'>;

/** The profile as the API returns it. */
export const publicProfile = (p: ProfileRow) => ({
  userId: p.userId,
  email: p.email,
  name: p.name,
  displayName: p.displayName,
  phone: p.phone,
  address: p.address ?? null,
  bio: p.bio,
  avatarUrl: p.avatarUrl,
  preferences: withDefaultPreferences(p.preferences),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
export type PublicProfile = ReturnType<typeof publicProfile>;

export async function findProfile(db: Tx, userId: string, opts: { forUpdate?: boolean } = {}): Promise<ProfileRow | undefined> {
  const query = db.select().from(profiles).where(eq(profiles.userId, userId)).limit(1);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  return row;
}

/**
 * Creates the profile of a registered user, or completes a lazily created one: email and name
 * always come from auth; the display name defaults to the name only while the user has none.
 */
export async function upsertFromRegistration(db: Tx, user: { userId: string; email: string; name: string }): Promise<void> {
  await db
    .insert(profiles)
    .values({ userId: user.userId, email: user.email, name: user.name, displayName: user.name, preferences: defaultPreferences() })
    .onConflictDoUpdate({
      target: profiles.userId,
      set: {
        email: user.email,
        name: user.name,
        displayName: sql`coalesce(${profiles.displayName}, excluded.display_name)`,
      },
    });
}

/** A profile with defaults for a user whose registration event has not arrived yet. */
export async function insertDefaultProfile(db: Tx, userId: string): Promise<ProfileRow> {
  await db.insert(profiles).values({ userId, preferences: defaultPreferences() }).onConflictDoNothing({ target: profiles.userId });
  const row = await findProfile(db, userId);
  if (!row) throw new Error(`profile ${userId} vanished after insert`);
  return row;
}

export async function updateProfileFields(db: Tx, userId: string, fields: ProfileFields): Promise<ProfileRow | undefined> {
  const [row] = await db
    .update(profiles)
    .set({ ...fields, updatedAt: new Date() })
    .where(eq(profiles.userId, userId))
    .returning();
  return row;
}

/** Keeps the copy of auth's account data current; returns false when the user has no profile. */
export async function updateAccountCopy(db: Tx, user: { userId: string; email: string; name: string }): Promise<boolean> {
  const rows = await db
    .update(profiles)
    .set({ email: user.email, name: user.name })
    .where(eq(profiles.userId, user.userId))
    .returning({ userId: profiles.userId });
  return rows.length > 0;
}
