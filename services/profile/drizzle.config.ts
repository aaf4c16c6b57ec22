import { defineConfig } from 'drizzle-kit';

// Migrations are generated without a database (`npm run db:generate`) and committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
