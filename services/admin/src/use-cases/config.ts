// Versioned system configuration. Every write bumps the version, appends to the history and
// publishes admin.config.updated through the outbox, in one transaction; `expectedVersion`
// gives optimistic concurrency (0 = "the key must not exist yet").
// Keys of the shared catalogue (@bank/events/config-catalogue) must match their schema (400
// ADMIN_CONFIG_INVALID_VALUE otherwise); other keys stay free-form JSON (decision in README).
import { addToOutbox, createEvent } from '@bank/events';
import { configDefaults, configValueErrors, isCatalogueKey, keysAppliedBy, type ConfigConsumer, type ConfigKey } from '@bank/events/config-catalogue';
import type { AdminContext } from '../context.ts';
import { ConfigInvalidValue, ConfigNotFound, ConfigVersionConflict } from '../domain/errors.ts';
import { findConfigForUpdate, historyOf, listConfig, listConfigKeys, publicConfigEntry, writeConfigVersion } from '../repositories/config.ts';

export async function getConfig(ctx: Pick<AdminContext, 'db'>) {
  return { items: (await listConfig(ctx.db)).map(publicConfigEntry) };
}

export async function putConfig(
  ctx: Pick<AdminContext, 'db' | 'log'>,
  input: { key: string; value: unknown; expectedVersion?: number },
  actor: { userId: string; requestId: string },
) {
  if (isCatalogueKey(input.key)) {
    const errors = configValueErrors(input.key, input.value);
    if (errors.length) {
      throw ConfigInvalidValue(`${input.key}: ${errors.join('; ')}`, { key: input.key, errors: errors.map((message) => ({ path: '/value', message })) });
    }
  }
  const saved = await ctx.db.transaction(async (tx) => {
    const current = await findConfigForUpdate(tx, input.key);
    const currentVersion = current?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
      throw ConfigVersionConflict(`${input.key} is at version ${currentVersion}, not ${input.expectedVersion}`, { currentVersion });
    }
    const row = await writeConfigVersion(tx, { key: input.key, value: input.value, version: currentVersion + 1, updatedBy: actor.userId });
    // Two first writes at once: the other one created the key after our read.
    if (!row) throw ConfigVersionConflict(`${input.key} was created meanwhile; read it and retry`, { currentVersion: 1 });
    await addToOutbox(
      tx,
      createEvent({
        type: 'admin.config.updated',
        source: 'admin',
        correlationId: actor.requestId,
        data: { key: row.key, version: row.version, updatedBy: actor.userId, userId: actor.userId },
      }),
    );
    return row;
  });
  ctx.log.info({ key: saved.key, version: saved.version, updatedBy: actor.userId }, 'configuration changed');
  return publicConfigEntry(saved);
}

export async function configHistory(ctx: Pick<AdminContext, 'db'>, key: string) {
  const rows = await historyOf(ctx.db, key);
  if (rows.length === 0) throw ConfigNotFound(`No configuration key ${key}`);
  return { items: rows.map(publicConfigEntry) };
}

/** Current values of catalogue keys, defaults filled in (a row that no longer matches its schema counts as unset). */
async function currentValues(ctx: Pick<AdminContext, 'db'>, keys: ConfigKey[]) {
  const rows = await listConfigKeys(ctx.db, keys);
  const values = configDefaults();
  const versions: Partial<Record<ConfigKey, number>> = {};
  for (const row of rows) {
    if (!isCatalogueKey(row.key) || configValueErrors(row.key, row.value).length) continue;
    (values as Record<string, unknown>)[row.key] = row.value;
    versions[row.key] = row.version;
  }
  return { values, versions };
}

/** The public catalogue keys (maintenance switch, banner): what the shell shows. */
export async function publicConfig(ctx: Pick<AdminContext, 'db'>) {
  const { values } = await currentValues(ctx, ['platform.maintenance', 'platform.banner']);
  return { 'platform.maintenance': values['platform.maintenance'], 'platform.banner': values['platform.banner'] };
}

/** Catalogue keys `consumer` applies, current values with defaults filled in, and their versions (0 = never set). */
export async function appliedConfig(ctx: Pick<AdminContext, 'db'>, consumer: ConfigConsumer) {
  const keys = keysAppliedBy(consumer);
  const { values, versions } = await currentValues(ctx, keys);
  return { items: keys.map((key) => ({ key, value: values[key] as unknown, version: versions[key] ?? 0 })) };
}
