// The only file that reads process.env.
export const BASE_URL = (process.env.E2E_BASE_URL ?? 'https://localhost:8443').replace(/\/$/, '');
export const REQUIRED = process.env.E2E_REQUIRED === '1';
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@bank.local',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'Admin!Passw0rd',
};
/**
 * The browser Sentry project the platform's gateway tunnel forwards to (scripts/run-tests.ts starts
 * the stack with GATEWAY_BROWSER_SENTRY_DSN set to this): error-reporting.test.ts listens on its port.
 */
export const SENTRY_DSN = process.env.E2E_SENTRY_DSN ?? 'http://e2ebrowserkey@127.0.0.1:4319/7';
