// Real PostgreSQL and RabbitMQ for tests: a database and a vhost per run (both removed after),
// and helpers to stop/start the broker app that always leave it running.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { createTestDatabase } from '@bank/kit/testing';

const exec = promisify(execFile);
export const MIGRATIONS = fileURLToPath(new URL('../fixtures/drizzle', import.meta.url));

export async function rabbitmqctl(...args: string[]): Promise<string> {
  return (await exec('rabbitmqctl', ['-q', ...args], { timeout: 120_000 })).stdout;
}

export interface TestVhost {
  vhost: string;
  url(user?: string, password?: string): string;
  delete(): Promise<void>;
}

export async function createVhost(label: string): Promise<TestVhost> {
  const vhost = `events-${label}-${randomBytes(3).toString('hex')}`;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  return {
    vhost,
    url: (user = 'guest', password = 'guest') => `amqp://${user}:${password}@127.0.0.1:5672/${encodeURIComponent(vhost)}`,
    delete: async () => {
      await ensureBrokerRunning();
      await rabbitmqctl('delete_vhost', vhost);
    },
  };
}

export interface TestDb {
  url: string;
  sql: postgres.Sql;
  db: ReturnType<typeof drizzle>;
  drop(): Promise<void>;
}

/** A fresh database with the outbox/inbox tables and an `effects` table recording handler effects. */
export async function createDb(label: string): Promise<TestDb> {
  const database = await createTestDatabase(`events_${label}`);
  const migrator = postgres(database.url, { max: 1, onnotice: () => {} });
  await migrate(drizzle(migrator), { migrationsFolder: MIGRATIONS });
  await migrator`create table effects (id bigserial primary key, consumer text not null, event_id uuid not null, aggregate_id text, seq int, applied_at timestamptz not null default clock_timestamp())`;
  await migrator`create table accounts (id text primary key, balance int not null default 0)`;
  await migrator.end();
  const sql = postgres(database.url, { max: 10, onnotice: () => {} });
  return {
    url: database.url,
    sql,
    db: drizzle(sql),
    drop: async () => {
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
}

export async function brokerIsUp(): Promise<boolean> {
  try {
    await exec('rabbitmq-diagnostics', ['-q', 'check_running'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export async function stopBroker(): Promise<void> {
  await rabbitmqctl('stop_app');
}

/** Starts the app if stopped and waits until it accepts work again. Safe to call anytime. */
export async function ensureBrokerRunning(): Promise<void> {
  if (await brokerIsUp()) return;
  await rabbitmqctl('start_app');
  await rabbitmqctl('await_startup');
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
