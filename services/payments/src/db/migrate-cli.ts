// `node src/db/migrate-cli.ts`: apply migrations and exit (Kubernetes pre-install/pre-upgrade
// hook Job, and the native runner). Safe to run concurrently: the kit's migrator takes an
// advisory lock.
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@bank/kit';
import { loadPaymentsConfig } from '../config.ts';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
export const MIGRATION_LOCK = 'payments-migrations';

if (import.meta.main) {
  const config = loadPaymentsConfig();
  await runMigrations(config.DATABASE_URL, migrationsFolder, MIGRATION_LOCK, { info: (obj, msg) => console.warn(msg, obj) });
  console.warn('payments: migrations applied');
}
