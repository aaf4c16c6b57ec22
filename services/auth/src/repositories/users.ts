// Users table access. Every function takes the database or a transaction, so use-cases
// decide the transaction boundaries.
import { and, desc, eq, ilike, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@bank/kit';
import { users } from '../db/schema.ts';

export type UserRow = typeof users.$inferSelect;
export type Role = UserRow['role'];
export type UserStatus = UserRow['status'];
type Tx = Pick<Db, 'select' | 'insert' | 'update'>;

/** What may leave the service: never the password hash. */
export const publicUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  status: u.status,
  createdAt: u.createdAt.toISOString(),
});
export type PublicUser = ReturnType<typeof publicUser>;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findByEmail(db: Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, normaliseEmail(email))).limit(1);
  return row;
}

export async function findById(db: Tx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Inserts a user; returns undefined when the email is already taken (no exception dance). */
export async function insertUser(
  db: Tx,
  user: { id: string; email: string; name: string; role: Role; passwordHash: string },
): Promise<UserRow | undefined> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: normaliseEmail(user.email) })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}

export async function updateUser(
  db: Tx,
  id: string,
  patch: Partial<Pick<UserRow, 'role' | 'status' | 'passwordHash' | 'name'>>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

/** Newest first; keyset on (created_at, id). */
export async function searchUsers(
  db: Tx,
  opts: { q?: string; role?: Role; status?: UserStatus; after?: { at: string; id: string }; limit: number },
) {
  const filters = [];
  if (opts.q) {
    const pattern = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(users.email, pattern), ilike(users.name, pattern)));
  }
  if (opts.role) filters.push(eq(users.role, opts.role));
  if (opts.status) filters.push(eq(users.status, opts.status));
  if (opts.after) {
    filters.push(
      or(
        lt(users.createdAt, new Date(opts.after.at)),
        and(eq(users.createdAt, new Date(opts.after.at)), lt(users.id, opts.after.id)),
      ),
    );
  }
  return db
    .select()
    .from(users)
    .where(filters.length ? and(...filters) : sql`true`)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(opts.limit + 1);
}
