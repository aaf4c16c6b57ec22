// pino options shared by every service: JSON in production, pretty on a TTY, secrets
// redacted wherever they appear in request logs or logged objects.
import type { LoggerOptions } from 'pino';
import { errorSerializers } from './log-serializers.ts';
import { activeTraceIds } from './trace-context.ts';

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
    // trace_id/span_id of the active span on every line (request, delivery, job), so a log line
    // leads to its trace and back. Nothing is added when no span is active.
    mixin: () => activeTraceIds() ?? {},
    redact: { paths: redactPaths, censor: '[redacted]' },
    // Errors without the data of the query that failed (see log-serializers.ts).
    serializers: errorSerializers,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
}
