// `node src/db/migrate-cli.ts`: apply migrations and exit (Kubernetes pre-install/pre-upgrade
// hook Job, and the native runner). Safe to run concurrently: the kit's migrator takes an
// advisory lock.
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@bank/kit';
import { loadAuthMigrationConfig } from '../config.ts';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

if (import.meta.main) {
  const config = loadAuthMigrationConfig();
  await runMigrations(config.DATABASE_URL, migrationsFolder, 'auth-migrations', { info: (obj, msg) => console.warn(msg, obj) });
  console.warn('auth: migrations applied');
}
