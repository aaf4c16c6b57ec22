// Process entry point: `node --import @bank/kit/instrument src/server.ts`.
import { runService } from '@bank/kit';
import app from './app.ts';
import { loadAdminConfig } from './config.ts';

const config = loadAdminConfig();
await runService({
  name: 'admin',
  config,
  app,
  port: config.PORT,
  host: config.HOST,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
});
