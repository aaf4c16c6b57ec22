// The only file that reads process.env.
export const BASE_URL = (process.env.E2E_BASE_URL ?? 'https://localhost:8443').replace(/\/$/, '');
export const REQUIRED = process.env.E2E_REQUIRED === '1';
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@bank.local',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'Admin!Passw0rd',
};
