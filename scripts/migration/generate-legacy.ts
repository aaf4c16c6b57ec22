// Creates a realistic POC-2 shared database of any size, awkward data included, for the migration
// tool's tests and rehearsals. Deterministic: the same --users gives the same rows (every "random"
// choice is a hash of the row number), so a failing run can be reproduced.
//
//   node scripts/migration/generate-legacy.ts --url postgres://postgres@127.0.0.1:5432/mfe_poc2 --users 100000 [--create]
//
// Everything is generated inside PostgreSQL (generate_series), so a million users take seconds,
// not a million round trips. Awkward data, on purpose (docs/migration.md says what the tool does
// with each): users whose email differs from another's only in case; emails with spaces or upper
// case; NULL emails, names and password hashes; deleted users (≈0.5%) whose payments, audit
// entries and profiles remain (orphans); transactions of payments that do not exist; amounts with
// more decimals than their currency has, NULL, zero, negative or huge amounts; unknown, NULL and
// lower-case currency codes; NULL payment types; profiles with incomplete addresses, unknown
// countries and locales.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import bcrypt from 'bcryptjs';
import postgres from 'postgres';
import { LEGACY_DDL } from './legacy-schema.ts';

/** The pool of passwords: user number i has password `legacyPassword(i)`. */
export const legacyPassword = (i: number) => `legacy-pass-${i % 16}`;
/** The id and email of user number i (before the awkward variations the generator applies). */
export const legacyUserId = (i: number) => md5Uuid(`u${i}`);

function md5Uuid(text: string): string {
  // Same as md5(text)::uuid in PostgreSQL.
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
export interface GenerateOptions {
  users: number;
  /** Average payments per user (each with 1 to 3 status transactions). */
  paymentsPerUser?: number;
  /** bcrypt cost of the 16 pooled hashes (POC-2 used 10; tests use 4 for speed). */
  bcryptCost?: number;
}

export async function generateLegacy(url: string, opts: GenerateOptions) {
  const n = opts.users;
  const perUser = opts.paymentsPerUser ?? 3;
  const cost = opts.bcryptCost ?? 10;
  // Real POC-2 hashes each have their own salt; 16 distinct ones are enough to exercise sign-in
  // and keep generation fast (a bcrypt hash per user would take hours for a million users).
  const hashes = await Promise.all(Array.from({ length: 16 }, (_, k) => bcrypt.hash(legacyPassword(k), cost)));
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(LEGACY_DDL);
    // r(tag, i): a uniform number in [0, 1) derived from the tag and the row number.
    await sql.unsafe(`create function pg_temp.r(tag text, i bigint) returns double precision language sql immutable
      as $$ select ('x' || substr(md5(tag || i::text), 1, 8))::bit(32)::bigint / 4294967296.0 $$`);
    await sql.unsafe(`create function pg_temp.uid(i bigint) returns text language sql immutable as $$ select md5('u' || i::text)::uuid::text $$`);
    await sql.unsafe(`create function pg_temp.deleted(i bigint) returns boolean language sql immutable as $$ select pg_temp.r('del', i) < 0.005 $$`);
    await sql.unsafe(`create function pg_temp.at(tag text, i bigint) returns timestamp language sql immutable
      as $$ select timestamp '2023-01-01' + pg_temp.r(tag, i) * interval '600 days' $$`);

    await sql`
      insert into users (id, email, password_hash, name, role, email_verified, created_at, updated_at)
      select pg_temp.uid(i),
        case when pg_temp.r('nomail', i) < 0.001 then null
             when pg_temp.r('case', i) < 0.2 then 'User' || i || '@Example.COM'
             when pg_temp.r('space', i) < 0.001 then ' user' || i || '@example.com '
             else 'user' || i || '@example.com' end,
        case when pg_temp.r('nohash', i) < 0.0005 then null else (${hashes}::text[])[1 + i % 16] end,
        case when pg_temp.r('noname', i) < 0.005 then null else 'User ' || i end,
        (case when pg_temp.r('role', i) < 0.02 then 'ADMIN' when pg_temp.r('role', i) < 0.10 then 'VENDOR' else 'CUSTOMER' end)::"UserRole",
        pg_temp.r('verified', i) < 0.8,
        timestamp '2023-01-01' + (i::double precision / ${n}) * interval '600 days',
        timestamp '2023-01-01' + (i::double precision / ${n}) * interval '600 days' + interval '1 day'
      from generate_series(1, ${n}::bigint) i
      where not pg_temp.deleted(i)`;
    // Second accounts whose email differs only in case, created a month after the first.
    await sql`
      insert into users (id, email, password_hash, name, role, email_verified, created_at, updated_at)
      select md5('dup' || i)::uuid::text, 'USER' || i || '@example.com', (${hashes}::text[])[1 + (i + 1) % 16], 'Duplicate ' || i,
        'CUSTOMER', false,
        timestamp '2023-01-31' + (i::double precision / ${n}) * interval '600 days',
        timestamp '2023-01-31' + (i::double precision / ${n}) * interval '600 days'
      from generate_series(1, ${n}::bigint) i
      where not pg_temp.deleted(i) and pg_temp.r('dup', i) < 0.005 and pg_temp.r('nomail', i) >= 0.001`;

    await sql`
      insert into refresh_tokens (id, user_id, token, expires_at, created_at)
      select md5('rt' || i)::uuid::text, pg_temp.uid(i), encode(sha256(('token' || i)::bytea), 'hex'),
        now()::timestamp + (pg_temp.r('rtexp', i) - 0.5) * interval '30 days', now()::timestamp - interval '1 day'
      from generate_series(1, ${n}::bigint) i
      where not pg_temp.deleted(i) and pg_temp.r('rt', i) < 0.8`;

    // Payments: sender and recipient are user numbers (deleted ones included: orphans).
    await sql`
      insert into payments (id, sender_id, recipient_id, amount, currency, status, type, description, psp_transaction_id, metadata, created_at, updated_at)
      select md5('p' || j)::uuid::text, pg_temp.uid(s), case when pg_temp.r('norcpt', j) < 0.0005 then null else pg_temp.uid(rc) end,
        case when aw < 0.001 then base + 1 / 10::numeric ^ (ex + 1)
             when aw < 0.0015 then null
             when aw < 0.002 then 0
             when aw < 0.0025 then -base
             when aw < 0.0028 then 10000000000000
             else base end,
        cur,
        (case when st < 0.80 then 'completed' when st < 0.88 then 'failed' when st < 0.93 then 'cancelled' when st < 0.97 then 'pending' else 'processing' end)::"PaymentStatus",
        (case when ty < 0.01 then null when ty < 0.86 then 'instant' when ty < 0.96 then 'scheduled' else 'recurring' end)::"PaymentType",
        case when pg_temp.r('desc', j) < 0.3 then null else 'Invoice ' || j end,
        'psp_' || substr(md5('psp' || j), 1, 12),
        case when pg_temp.r('meta', j) < 0.5 then null else '{"channel":"web"}'::jsonb end,
        pg_temp.at('pat', j), pg_temp.at('pat', j) + interval '5 seconds'
      from (
        select j, s, 1 + (s - 1 + 1 + floor(pg_temp.r('o', j) * (${n} - 1))::bigint) % ${n} as rc,
          -- The first five payments show each awkward amount even in a tiny database.
          case when j <= 5 then (j - 1) * 0.0005 + 0.0001 else pg_temp.r('aw', j) end as aw, pg_temp.r('st', j) as st, pg_temp.r('ty', j) as ty, cur,
          case when upper(trim(cur)) = 'JPY' then 0 when upper(trim(cur)) = 'KWD' then 3 else 2 end as ex,
          (floor(pg_temp.r('a', j) * 1000000) + 1)::numeric / 10::numeric ^ (case when upper(trim(cur)) = 'JPY' then 0 when upper(trim(cur)) = 'KWD' then 3 else 2 end) as base
        from (
          select j, 1 + floor(pg_temp.r('s', j) * ${n})::bigint as s,
            case when c < 0.40 then 'EUR' when c < 0.65 then 'USD' when c < 0.80 then 'GBP' when c < 0.88 then 'JPY'
                 when c < 0.92 then 'KWD' when c < 0.97 then 'CHF' when c < 0.99 then 'eur' when c < 0.995 then 'SEK'
                 when cx < 0.3 then 'XYZ' when cx < 0.5 then 'BTC' when cx < 0.7 then null else 'usd ' end as cur
          from (select j, pg_temp.r('c', j) as c, pg_temp.r('cx', j) as cx from generate_series(1, ${n * perUser}::bigint) j) g
        ) g2
      ) p`;

    // One row per status change: pending, then processing (for processed ones), then the outcome.
    await sql`
      insert into payment_transactions (id, payment_id, status, status_message, psp_transaction_id, created_at)
      select md5(p.id || '-' || k)::uuid::text, p.id, s.status, case when pg_temp.r('msg', k) < 0.5 then null else 'step ' || k end,
        p.psp_transaction_id, p.created_at + k * interval '1 second'
      from payments p
      cross join lateral (
        select 1 as k, 'pending'::"PaymentStatus" as status
        union all select 2, 'processing' where p.status in ('processing', 'completed', 'failed')
        union all select 3, p.status where p.status in ('completed', 'failed', 'cancelled')
      ) s`;
    // Transactions whose payment no longer exists.
    await sql`
      insert into payment_transactions (id, payment_id, status, status_message, created_at)
      select md5('tgone' || x)::uuid::text, md5('gone' || x)::uuid::text, 'completed', null, pg_temp.at('tg', x)
      from generate_series(1, greatest(1, ${n} / 500)::bigint) x`;

    await sql`
      insert into audit_logs (id, user_id, action, resource_type, resource_id, details, ip_address, user_agent, created_at)
      select md5('a' || a)::uuid::text,
        case when pg_temp.r('anouser', a) < 0.03 then null else pg_temp.uid(1 + floor(pg_temp.r('au', a) * ${n})::bigint) end,
        (array['LOGIN', 'LOGOUT', 'PAYMENT_CREATED', 'PROFILE_UPDATED', 'CONFIG_CHANGED'])[1 + floor(pg_temp.r('act', a) * 5)::int],
        case when pg_temp.r('art', a) < 0.05 then null else (array['user', 'payment', 'profile', 'config'])[1 + floor(pg_temp.r('rt', a) * 4)::int] end,
        md5('res' || a)::uuid::text,
        case when pg_temp.r('adet', a) < 0.2 then null else jsonb_build_object('n', a, 'ok', true) end,
        '10.0.' || (a % 250) || '.' || (a % 200), 'Mozilla/5.0 (legacy)', pg_temp.at('aat', a)
      from generate_series(1, ${n * 2}::bigint) a`;

    await sql`
      insert into system_config (id, key, value, description, updated_at, updated_by)
      select md5('cfg' || k)::uuid::text, key, value::jsonb, case when k % 4 = 0 then null else 'Setting ' || key end,
        timestamp '2024-06-01' + k * interval '1 hour', case when k % 3 = 0 then null when k % 3 = 1 then pg_temp.uid(k) else 'system' end
      from (values
        (1, 'payments.limit.EUR', '{"max": 10000}'), (2, 'payments.limit.USD', '{"max": 12000}'), (3, 'payments.limit.GBP', '{"max": 9000}'),
        (4, 'maintenance.enabled', 'false'), (5, 'ui.banner', '"Welcome to the new bank"'), (6, 'feature.graphql', 'true'),
        (7, 'processor.delay_ms', '1500'), (8, 'processor.failure_rule', '"amount_ends_in_13"'), (9, 'session.idle_minutes', '30'),
        (10, 'legacy.theme', '{"primary": "#0044cc"}'), (11, 'legacy.support_email', '"support@example.com"'), (12, 'legacy.max_devices', '5')
      ) v(k, key, value)`;

    await sql`
      insert into user_profiles (id, user_id, avatar_url, phone, address, bio, preferences, created_at, updated_at)
      select md5('pr' || i)::uuid::text, pg_temp.uid(i),
        case when pg_temp.r('av', i) < 0.5 then null else 'https://cdn.example.com/avatars/' || i || '.png' end,
        case when pg_temp.r('ph', i) < 0.4 then null else '+4930' || (1000000 + i) end,
        case when pg_temp.r('ad', i) < 0.4 then null
             when pg_temp.r('ad', i) < 0.43 then jsonb_build_object('street', i || ' Main St', 'city', 'Berlin', 'country', 'Germany')
             else jsonb_build_object('street', i || ' Main St', 'city', 'Berlin', 'postalCode', '10' || (i % 1000), 'country',
               (array['DE', 'FR', 'gb', 'US', 'XX'])[1 + floor(pg_temp.r('ctry', i) * 5)::int]) end,
        case when pg_temp.r('bio', i) < 0.7 then null else 'Bio of user ' || i end,
        case when pg_temp.r('pf', i) < 0.1 then null
             else jsonb_build_object('theme', (array['dark', 'light', 'system', 'blue'])[1 + floor(pg_temp.r('th', i) * 4)::int],
                                     'language', (array['en', 'fr', 'de-DE', 'xx-YY'])[1 + floor(pg_temp.r('lang', i) * 4)::int],
                                     'notifications', pg_temp.r('nt', i) < 0.5) end,
        pg_temp.at('prat', i), pg_temp.at('prat', i) + interval '2 days'
      from generate_series(1, ${n}::bigint) i
      where pg_temp.r('prof', i) < 0.7`;

    await sql`analyze`;
    const counts: Record<string, number> = {};
    for (const table of ['users', 'refresh_tokens', 'payments', 'payment_transactions', 'audit_logs', 'system_config', 'user_profiles']) {
      const [row] = await sql.unsafe<{ n: string }[]>(`select count(*)::text as n from ${table}`);
      counts[table] = Number(row?.n ?? 0);
    }
    return counts;
  } finally {
    await sql.end();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      users: { type: 'string', default: '1000' },
      'payments-per-user': { type: 'string', default: '3' },
      'bcrypt-cost': { type: 'string', default: '10' },
      create: { type: 'boolean', default: false },
    },
  });
  if (!values.url) {
    console.error('usage: generate-legacy.ts --url postgres://postgres@127.0.0.1:5432/mfe_poc2 --users 100000 [--payments-per-user 3] [--create]');
    process.exit(64);
  }
  if (values.create) {
    const target = new URL(values.url);
    const dbName = decodeURIComponent(target.pathname.slice(1));
    target.pathname = '/postgres';
    const admin = postgres(target.toString(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${dbName.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }
  }
  const started = Date.now();
  const counts = await generateLegacy(values.url, {
    users: Number(values.users),
    paymentsPerUser: Number(values['payments-per-user']),
    bcryptCost: Number(values['bcrypt-cost']),
  });
  console.log(JSON.stringify({ counts, seconds: Math.round((Date.now() - started) / 100) / 10, samplePassword: { userId: legacyUserId(2), email: 'user2@example.com', password: legacyPassword(2) } }, null, 2));
}
