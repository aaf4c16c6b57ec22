// Process entry point: `node --import @bank/kit/instrument src/server.ts`.
import { runService } from '@bank/kit';
import app from './app.ts';
import { loadGatewayConfig } from './config.ts';

const config = loadGatewayConfig();
await runService({
  name: 'gateway',
  config,
  app,
  port: config.PORT,
  host: config.HOST,
  shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  fastify: { bodyLimit: config.BODY_LIMIT_BYTES },
});
