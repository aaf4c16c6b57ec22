// config_entries (current value) and config_history (every version) access.
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@bank/kit';
import { configEntries, configHistory } from '../db/schema.ts';

export type ConfigRow = typeof configEntries.$inferSelect;
type Tx = Pick<Db, 'select' | 'insert' | 'update'>;

export const publicConfigEntry = (row: Pick<ConfigRow, 'key' | 'value' | 'version' | 'updatedAt' | 'updatedBy'>) => ({
  key: row.key,
  value: row.value,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
  updatedBy: row.updatedBy,
});

export async function listConfig(db: Tx) {
  return db.select().from(configEntries).orderBy(asc(configEntries.key));
}

export async function listConfigKeys(db: Tx, keys: string[]) {
  if (keys.length === 0) return [];
  return db.select().from(configEntries).where(inArray(configEntries.key, keys));
}

export async function findConfigForUpdate(db: Tx, key: string): Promise<ConfigRow | undefined> {
  const [row] = await db.select().from(configEntries).where(eq(configEntries.key, key)).limit(1).for('update');
  return row;
}

/**
 * Writes version `version` of `key` and appends it to the history. Version 1 is an insert that
 * yields to a concurrent first write (returns undefined: the caller answers 409); later versions
 * update the row the caller locked with `findConfigForUpdate`.
 */
export async function writeConfigVersion(db: Tx, entry: { key: string; value: unknown; version: number; updatedBy: string }): Promise<ConfigRow | undefined> {
  const now = new Date();
  // Drizzle writes a JS null as SQL NULL; JSON null is a legitimate configuration value.
  const value = entry.value === null ? sql`'null'::jsonb` : entry.value;
  const row = { ...entry, value, updatedAt: now };
  const [saved] =
    entry.version === 1
      ? await db.insert(configEntries).values(row).onConflictDoNothing({ target: configEntries.key }).returning()
      : await db
          .update(configEntries)
          .set({ value, version: entry.version, updatedAt: now, updatedBy: entry.updatedBy })
          .where(eq(configEntries.key, entry.key))
          .returning();
  if (!saved) return undefined;
  await db.insert(configHistory).values(row);
  return saved;
}

export async function historyOf(db: Tx, key: string) {
  return db.select().from(configHistory).where(eq(configHistory.key, key)).orderBy(desc(configHistory.version));
}
