// profile_db tables. One row per user (the user id from auth is the key); address and
// preferences are small documents that are always read and written whole, hence jsonb.
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Address, Preferences } from '../domain/profile.ts';

export const profiles = pgTable('profiles', {
  userId: uuid('user_id').primaryKey(),
  /** Copied from auth's events (read-only here); null when the profile was created lazily. */
  email: text('email'),
  name: text('name'),
  displayName: text('display_name'),
  phone: text('phone'),
  address: jsonb('address').$type<Address>(),
  bio: text('bio'),
  avatarUrl: text('avatar_url'),
  preferences: jsonb('preferences').$type<Preferences>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Events out (outbox) and in (inbox) commit with the profile rows, in profile_db.
export { outbox, inbox } from '@bank/events/db/schema';
