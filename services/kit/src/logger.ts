// pino options shared by every service: JSON in production, pretty on a TTY, secrets
// redacted wherever they appear in request logs or logged objects.
import type { LoggerOptions } from 'pino';
import { errorSerializers } from './log-serializers.ts';

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.ticket',
  '*.secret',
  '*.privateKey',
  'password',
  'accessToken',
  'refreshToken',
];

export function loggerOptions(service: string, level: string, pretty = false): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors without the data of the query that failed (see log-serializers.ts).
    serializers: errorSerializers,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
}
