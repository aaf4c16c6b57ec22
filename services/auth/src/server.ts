// Process entry point: `node --import @bank/kit/instrument src/server.ts`.
import { runService } from '@bank/kit';
import app from './app.ts';
import { loadAuthConfig } from './config.ts';

const config = loadAuthConfig();
await runService({
  name: 'auth',
  config,
  app,
  port: config.PORT,
  host: config.HOST,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
});
