export * from './config.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './metrics.ts';
export * from './db.ts';
export * from './redis.ts';
export * from './access-token.ts';
export * from './server.ts';
export { loggerOptions, redactPaths } from './logger.ts';
