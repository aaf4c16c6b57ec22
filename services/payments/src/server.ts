// Process entry point: `node --import @bank/kit/instrument src/server.ts`.
import { runService } from '@bank/kit';
import app from './app.ts';
import { loadPaymentsConfig } from './config.ts';

const config = loadPaymentsConfig();
await runService({
  name: 'payments',
  config,
  app,
  port: config.PORT,
  host: config.HOST,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
});
