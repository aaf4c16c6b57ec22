// Administration of users (called by the admin service with an ADMIN token): search, change
// role (effective at once: tokens with the old role are refused), disable (revokes every session
// of the user at once), enable again.
import { decodeCursor, toPage } from '@bank/kit';
import { addToOutbox, createEvent } from '@bank/events';
import type { AuthContext, RequestMeta } from '../context.ts';
import { CannotChangeSelf, UserNotFound } from '../domain/errors.ts';
import { findById, publicUser, searchUsers, updateUser, type Role, type UserRow, type UserStatus } from '../repositories/users.ts';
import { sessionsOfUser } from '../repositories/sessions.ts';
import { markRevokedInRedis, markRoleInRedis, revokeInTx, type Tx } from './session-tokens.ts';

export async function listUsers(
  ctx: AuthContext,
  q: { q?: string; role?: Role; status?: UserStatus; cursor?: string; limit: number },
) {
  const after = decodeCursor(q.cursor);
  const rows = await searchUsers(ctx.db, { ...q, ...(after ? { after } : {}) });
  const page = toPage(rows, q.limit, (u) => ({ at: u.createdAt.toISOString(), id: u.id }));
  return { items: page.items.map(publicUser), nextCursor: page.nextCursor };
}

export async function getUser(ctx: AuthContext, id: string) {
  const user = await findById(ctx.db, id);
  if (!user) throw UserNotFound(`No user ${id}`);
  return publicUser(user);
}

const updatedEvent = (u: UserRow, meta: Pick<RequestMeta, 'requestId'>) =>
  createEvent({
    type: 'auth.user.updated',
    source: 'auth',
    correlationId: meta.requestId,
    data: { userId: u.id, email: u.email, name: u.name, role: u.role, status: u.status },
  });

export async function changeRole(
  ctx: AuthContext,
  actor: { sub: string },
  userId: string,
  role: Role,
  meta: RequestMeta,
) {
  if (actor.sub === userId && role !== 'ADMIN') throw CannotChangeSelf('You cannot remove your own admin role');
  const user = await ctx.db.transaction(async (tx) => {
    const updated = await updateUser(tx, userId, { role });
    if (!updated) throw UserNotFound(`No user ${userId}`);
    await addToOutbox(tx, updatedEvent(updated, meta));
    return updated;
  });
  // Old-role tokens are refused from the next request on; the event (auth.user.updated) moves
  // the user's sockets in or out of the role rooms at every gateway.
  await markRoleInRedis(ctx, user.id, user.role);
  ctx.log.info({ userId: user.id, role: user.role }, 'role changed');
  return publicUser(user);
}

export async function disableUser(ctx: AuthContext, actor: { sub: string }, userId: string, meta: RequestMeta) {
  if (actor.sub === userId) throw CannotChangeSelf('You cannot disable your own account');
  const { user, revoked } = await ctx.db.transaction(async (tx: Tx) => {
    const updated = await updateUser(tx, userId, { status: 'disabled' });
    if (!updated) throw UserNotFound(`No user ${userId}`);
    const revokedRows = await revokeInTx(ctx, tx, sessionsOfUser(userId), 'user-disabled', meta);
    await addToOutbox(tx, [
      updatedEvent(updated, meta),
      createEvent({ type: 'auth.user.disabled', source: 'auth', correlationId: meta.requestId, data: { userId } }),
    ]);
    return { user: updated, revoked: revokedRows };
  });
  await markRevokedInRedis(ctx, revoked);
  return { user: publicUser(user), revokedSessions: revoked.length };
}

export async function revokeUserSessions(ctx: AuthContext, userId: string, meta: RequestMeta) {
  const revoked = await ctx.db.transaction(async (tx) => {
    if (!(await findById(tx, userId))) throw UserNotFound(`No user ${userId}`);
    return revokeInTx(ctx, tx, sessionsOfUser(userId), 'revoked-by-admin', meta);
  });
  await markRevokedInRedis(ctx, revoked);
  return revoked.length;
}

/** Re-enables a disabled account; its old sessions stay revoked, the user signs in again. */
export async function enableUser(ctx: AuthContext, userId: string, meta: RequestMeta) {
  const user = await ctx.db.transaction(async (tx) => {
    const updated = await updateUser(tx, userId, { status: 'active' });
    if (!updated) throw UserNotFound(`No user ${userId}`);
    await addToOutbox(tx, updatedEvent(updated, meta));
    return updated;
  });
  return publicUser(user);
}
