// Reading and updating my profile, and keeping profiles in step with auth's users.
// A profile is created when auth.user.registered arrives; a read or write that comes first
// (the UI right after sign-up) creates it lazily with defaults, and the event completes it.
import { addToOutbox, createEvent } from '@bank/events';
import type { Db } from '@bank/kit';
import { profileKey, userTag } from '../cache.ts';
import type { ProfileContext } from '../context.ts';
import { applyPatch, changedFields, type ProfilePatch } from '../domain/profile.ts';
import {
  findProfile,
  insertDefaultProfile,
  publicProfile,
  updateProfileFields,
  upsertFromRegistration,
  type PublicProfile,
} from '../repositories/profiles.ts';

export async function getMyProfile(ctx: ProfileContext, userId: string): Promise<PublicProfile> {
  return ctx.cache.wrap(profileKey(userId), ctx.config.PROFILE_CACHE_TTL_SECONDS, [userTag(userId)], async () =>
    publicProfile((await findProfile(ctx.db, userId)) ?? (await insertDefaultProfile(ctx.db, userId))),
  );
}

export async function updateMyProfile(
  ctx: ProfileContext,
  userId: string,
  patch: ProfilePatch,
  meta: { requestId: string },
): Promise<PublicProfile> {
  const { row, fields } = await ctx.db.transaction(async (tx) => {
    await insertDefaultProfile(tx, userId);
    const current = (await findProfile(tx, userId, { forUpdate: true }))!;
    const next = applyPatch(current, patch);
    const changed = changedFields(current, next);
    if (changed.length === 0) return { row: current, fields: changed };
    const updated = (await updateProfileFields(tx, userId, next))!;
    await addToOutbox(
      tx,
      createEvent({ type: 'profile.profile.updated', source: 'profile', correlationId: meta.requestId, data: { userId, fields: changed } }),
    );
    return { row: updated, fields: changed };
  });
  // After commit, so a concurrent read cannot put the old profile back in the cache.
  if (fields.length > 0) await ctx.cache.invalidateTags([userTag(userId)]);
  ctx.log.info({ userId, fields }, fields.length ? 'profile updated' : 'profile unchanged');
  return publicProfile(row);
}

/** auth.user.registered and auth.user.updated: idempotent upsert of auth's account data. */
export async function syncAccount(tx: Db, user: { userId: string; email: string; name: string }): Promise<void> {
  await upsertFromRegistration(tx, user);
}
