// Process entry point: `node --import @bank/kit/instrument src/server.ts`.
import { runService } from '@bank/kit';
import app from './app.ts';
import { loadProfileConfig } from './config.ts';

const config = loadProfileConfig();
await runService({
  name: 'profile',
  config,
  app,
  port: config.PORT,
  host: config.HOST,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
});
