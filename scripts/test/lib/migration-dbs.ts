// Throwaway databases for the migration tool's tests: a generated POC-2 source and the four
// service databases migrated with each service's own drizzle migrations (dropped afterwards).
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@bank/kit';
import { createTestDatabase, type TestDatabase } from '@bank/kit/testing';
import { generateLegacy } from '../../migration/generate-legacy.ts';
import { TARGETS, type TargetName } from '../../migration/lib/targets.ts';

export interface MigrationDatabases {
  source: TestDatabase;
  targets: Record<TargetName, TestDatabase>;
  counts: Record<string, number>;
  drop(): Promise<void>;
}

export async function createMigrationDatabases(users: number): Promise<MigrationDatabases> {
  const source = await createTestDatabase('legacy');
  const targets = {} as Record<TargetName, TestDatabase>;
  for (const name of TARGETS) {
    const db = await createTestDatabase(`mig_${name}`);
    targets[name] = db;
    await runMigrations(db.url, fileURLToPath(new URL(`../../../services/${name}/drizzle`, import.meta.url)), `${name}-migrations`);
  }
  const counts = await generateLegacy(source.url, { users, paymentsPerUser: 3, bcryptCost: 4 });
  return {
    source,
    targets,
    counts,
    async drop() {
      await Promise.all([source, ...Object.values(targets)].map((db) => db.drop()));
    },
  };
}

/** CLI flags pointing the tool at these databases. */
export const targetFlags = (dbs: MigrationDatabases) => TARGETS.flatMap((name) => [`--${name}-url`, dbs.targets[name].url]);
