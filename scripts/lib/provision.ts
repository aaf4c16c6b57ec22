// Idempotent local provisioning: generated secrets (kept in .run/, git-ignored), the TLS
// certificate, the ES256 signing key, a PostgreSQL role + database per service (each role
// may connect only to its own database) and a RabbitMQ user per service.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { Connection } from 'rabbitmq-client';
import { REPO_ROOT, RUN_DIR, settings } from './local-env.ts';
import { SERVICES } from './services.ts';

export interface Secrets {
  db: Record<string, string>;
  rabbit: Record<string, string>;
}

const secretsFile = () => `${RUN_DIR}/secrets.json`;

export function loadSecrets(): Secrets {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  const existing: Partial<Secrets> = existsSync(secretsFile()) ? JSON.parse(readFileSync(secretsFile(), 'utf8')) : {};
  const secrets: Secrets = { db: { ...existing.db }, rabbit: { ...existing.rabbit } };
  for (const s of SERVICES) {
    if (s.database) secrets.db[s.name] ??= randomBytes(18).toString('base64url');
    if (s.rabbit) secrets.rabbit[s.name] ??= randomBytes(18).toString('base64url');
  }
  writeFileSync(secretsFile(), JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export const databaseUrl = (name: string, secrets: Secrets) =>
  `postgres://${name}:${encodeURIComponent(secrets.db[name] ?? '')}@${settings.pgHost}:${settings.pgPort}/${name}_db`;
export const rabbitUrl = (name: string, secrets: Secrets) =>
  `amqp://${name}:${encodeURIComponent(secrets.rabbit[name] ?? '')}@${settings.rabbitHost}:${settings.rabbitPort}`;
export const jwtKeyFile = () => `${RUN_DIR}/keys/jwt-es256.pem`;

export function ensureCertificate(): void {
  const dir = `${RUN_DIR}/certs`;
  if (existsSync(`${dir}/tls.crt`) && existsSync(`${dir}/tls.key`)) return;
  mkdirSync(dir, { recursive: true });
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825',
    '-keyout', `${dir}/tls.key`, '-out', `${dir}/tls.crt`,
    '-subj', '/CN=localhost/O=Bank Payments Platform (local)',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    '-addext', 'extendedKeyUsage=serverAuth',
  ], { stdio: 'ignore' });
}

export function ensureJwtKey(): void {
  if (existsSync(jwtKeyFile())) return;
  mkdirSync(`${RUN_DIR}/keys`, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(jwtKeyFile(), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function ensureDatabases(secrets: Secrets): Promise<void> {
  const admin = postgres(settings.pgAdminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const s of SERVICES.filter((x) => x.database)) {
      const role = s.name;
      const db = `${s.name}_db`;
      const password = secrets.db[role] ?? '';
      const [exists] = await admin`select 1 from pg_roles where rolname = ${role}`;
      // Passwords cannot be bound parameters in CREATE/ALTER ROLE; they are our own base64url strings.
      const pw = `'${password.replace(/'/g, "''")}'`;
      if (exists) await admin.unsafe(`alter role ${ident(role)} with login password ${pw}`);
      else await admin.unsafe(`create role ${ident(role)} with login password ${pw}`);
      const [dbExists] = await admin`select 1 from pg_database where datname = ${db}`;
      if (!dbExists) await admin.unsafe(`create database ${ident(db)} owner ${ident(role)}`);
      // Only the owning role (and superusers) may connect: no service reaches another's tables.
      await admin.unsafe(`revoke all on database ${ident(db)} from public`);
      await admin.unsafe(`grant connect, temporary on database ${ident(db)} to ${ident(role)}`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * rabbitmqctl takes a second or two per call, so users are provisioned only when one of them
 * cannot log in with the password in .run/secrets.json (new machine, new clone, rotated
 * secret) — checked with a real AMQP login per user, which takes milliseconds.
 */
export async function ensureRabbitUsers(secrets: Secrets): Promise<void> {
  const logins = await Promise.all(SERVICES.filter((s) => s.rabbit).map((s) => canLogIn(rabbitUrl(s.name, secrets))));
  if (logins.every(Boolean)) return;
  provisionRabbitUsers(secrets);
}

async function canLogIn(url: string): Promise<boolean> {
  const connection = new Connection({ url, retryLow: 100, retryHigh: 100, connectionTimeout: 2_000 });
  connection.on('error', () => {});
  // rabbitmq-client unrefs its own timers: with every login failing, nothing would keep the
  // process alive, so the deadline is a ref'd timer of ours.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), 2_500);
  });
  try {
    return await Promise.race([connection.onConnect(2_000).then(() => true, () => false), deadline]);
  } finally {
    clearTimeout(timer);
    // Not awaited: closing a connection that never opened may never settle.
    void connection.close().catch(() => {});
  }
}

function provisionRabbitUsers(secrets: Secrets): void {
  const args = ['services/events/src/cli/provision.ts', '--vhost', '/'];
  for (const s of SERVICES) {
    if (!s.rabbit) continue;
    args.push(s.rabbit === 'operator' ? '--operator' : '--user', `${s.name}:${secrets.rabbit[s.name]}`);
  }
  execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
