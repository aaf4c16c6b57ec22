// Versioned system configuration. Every write bumps the version, appends to the history and
// publishes admin.config.updated through the outbox, in one transaction; `expectedVersion`
// gives optimistic concurrency (0 = "the key must not exist yet").
import { addToOutbox, createEvent } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { ConfigNotFound, ConfigVersionConflict } from '../domain/errors.ts';
import { findConfigForUpdate, historyOf, listConfig, publicConfigEntry, writeConfigVersion } from '../repositories/config.ts';

export async function getConfig(ctx: Pick<AdminContext, 'db'>) {
  return { items: (await listConfig(ctx.db)).map(publicConfigEntry) };
}

export async function putConfig(
  ctx: Pick<AdminContext, 'db' | 'log'>,
  input: { key: string; value: unknown; expectedVersion?: number },
  actor: { userId: string; requestId: string },
) {
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
