// The migration, step by step: what each step reads from POC-2 (keyset pages, in key order), how
// each row becomes a service row or a refusal, how it is written and how rollback removes it.
// Steps run in this order; later steps ask the targets what earlier steps migrated (a payment
// needs both its users in auth_db), so they hold no state of their own between batches.
import type postgres from 'postgres';
import {
  auditType,
  currencyCode,
  displayName,
  isUuid,
  normaliseEmail,
  passwordHash,
  paymentStatus,
  paymentType,
  profileAddress,
  profilePreferences,
  toMinorUnits,
} from './convert.ts';
import { unnestInsert, type Sql, type Target, type TargetName } from './targets.ts';

type Row = postgres.Row;
export interface Candidate {
  id: string;
  values: unknown[];
  /** Field-level losses counted in the report (e.g. an address that did not fit). */
  notes?: string[];
}
export interface RefusedRow {
  id: string;
  code: string;
  message: string;
  detail?: Record<string, unknown>;
}
export interface Plan {
  insert: Candidate[];
  refused: RefusedRow[];
}
export interface StepContext {
  source: Sql;
  targets: Record<TargetName, Target>;
  /** Users refused as case-duplicates: loser id → the kept (oldest) account's id. */
  duplicateLosers(): Promise<Map<string, string>>;
}
export interface Step {
  name: string;
  target: TargetName;
  description: string;
  /** Source table and id expression: the step accounts for every row of it. */
  sourceTable: string;
  sourceId: string;
  read(src: Sql, after: string | null, limit: number): Promise<Row[]>;
  plan(rows: Row[], ctx: StepContext): Promise<Plan>;
  /** Inserts the candidates, returns the ids inserted. Absent: an accounting-only step. */
  write?(q: Sql, rows: Candidate[]): Promise<string[]>;
  /** Rollback: deletes these (ledger) ids from the service table. */
  remove?(q: Sql, ids: string[]): Promise<void>;
  /** Joins the ledger `w` to the service table `t` (validation: the rows are really there). */
  targetJoin?: string;
}

const after = (src: Sql, column: string, key: string | null) => (key === null ? src`` : src`where ${src(column)} > ${key}`);
const utc = (column: string) => `${column} at time zone 'UTC' as ${column.split('.').pop()}`;

/** Ids among `ids` present in `table` of a target (uuid tables: non-UUIDs are never present). */
async function present(q: Sql, table: string, ids: string[], columns = 'id::text as id'): Promise<Map<string, Row>> {
  const uuids = [...new Set(ids.filter(isUuid))];
  if (uuids.length === 0) return new Map();
  const rows = await q.unsafe(`select ${columns} from ${table} where id = any($1::text[]::uuid[])`, [uuids] as never);
  return new Map(rows.map((r) => [r.id as string, r]));
}

const notUuid = (row: Row, column = 'id'): RefusedRow => ({ id: row.key as string, code: 'id.not_uuid', message: `${column} ${JSON.stringify(row[column])} is not a UUID` });

const users: Step = {
  name: 'auth.users',
  target: 'auth',
  description: 'users → auth_db.users (bcrypt hash kept)',
  sourceTable: 'users',
  sourceId: 'id',
  targetJoin: 'join users t on t.id = w.id::uuid',
  read: (src, key, limit) => src`
    select id as key, id, email, password_hash, name, role::text as role, ${src.unsafe(utc('created_at'))}, ${src.unsafe(utc('updated_at'))}
    from users ${after(src, 'id', key)} order by id limit ${limit}`,
  async plan(rows, ctx) {
    const losers = await ctx.duplicateLosers();
    const plan: Plan = { insert: [], refused: [] };
    for (const row of rows) {
      if (!isUuid(row.id)) {
        plan.refused.push(notUuid(row));
        continue;
      }
      const email = normaliseEmail(row.email);
      if (!email.ok) {
        plan.refused.push({ id: row.id, ...email.refusal });
        continue;
      }
      const kept = losers.get(row.id);
      if (kept) {
        plan.refused.push({ id: row.id, code: 'user.duplicate_email', message: `${email.value} is also the email of older account ${kept} (kept)`, detail: { kept } });
        continue;
      }
      const hash = passwordHash(row.password_hash);
      if (!hash.ok) {
        plan.refused.push({ id: row.id, ...hash.refusal });
        continue;
      }
      plan.insert.push({
        id: row.id,
        values: [row.id, email.value, displayName(row.name, email.value), row.role, 'active', hash.value, row.created_at, row.updated_at],
        ...(row.name?.trim() ? {} : { notes: ['name defaulted to the email local part'] }),
      });
    }
    return plan;
  },
  write: (q, rows) =>
    unnestInsert(
      q,
      'users',
      [['id', 'uuid'], ['email', 'text'], ['name', 'text'], ['role', 'text'], ['status', 'text'], ['password_hash', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']],
      rows.map((r) => r.values),
      'on conflict do nothing returning id::text as id',
    ),
  remove: async (q, ids) => void (await q`delete from users where id = any(${ids}::text[]::uuid[])`),
};

/** Steps over the source users that need the user to be in auth_db (replica, profile). */
async function migratedUsers(rows: Row[], ctx: StepContext) {
  const inAuth = await present(ctx.targets.auth.sql, 'users', rows.map((r) => r.id), 'id::text as id, email, name, role, status, updated_at');
  const refused: RefusedRow[] = [];
  for (const row of rows) {
    if (!inAuth.has(row.id)) refused.push({ id: row.key, code: 'user.not_migrated', message: 'the user is not in auth_db (refused by step auth.users)' });
  }
  return { inAuth, refused };
}

const knownUsers: Step = {
  name: 'payments.known_users',
  target: 'payments',
  description: "users → payments_db.known_users (the replica auth's events would have filled)",
  sourceTable: 'users',
  sourceId: 'id',
  targetJoin: 'join known_users t on t.id = w.id::uuid',
  read: (src, key, limit) => src`select id as key, id from users ${after(src, 'id', key)} order by id limit ${limit}`,
  async plan(rows, ctx) {
    const { inAuth, refused } = await migratedUsers(rows, ctx);
    const insert = rows.flatMap((row) => {
      const u = inAuth.get(row.id);
      // What auth.user.registered carries, with the account's last change as the event time:
      // a real event about this user afterwards is newer and applies.
      return u ? [{ id: row.id, values: [u.id, u.email, u.name, u.role, u.status, u.updated_at, u.updated_at] }] : [];
    });
    return { insert, refused };
  },
  write: (q, rows) =>
    unnestInsert(
      q,
      'known_users',
      [['id', 'uuid'], ['email', 'text'], ['name', 'text'], ['role', 'text'], ['status', 'text'], ['last_event_at', 'timestamptz'], ['updated_at', 'timestamptz']],
      rows.map((r) => r.values),
      'on conflict do nothing returning id::text as id',
    ),
  remove: async (q, ids) => void (await q`delete from known_users where id = any(${ids}::text[]::uuid[])`),
};

const profiles: Step = {
  name: 'profile.profiles',
  target: 'profile',
  description: 'users + user_profiles → profile_db.profiles (one per migrated user, as registration creates)',
  sourceTable: 'users',
  sourceId: 'id',
  targetJoin: 'join profiles t on t.user_id = w.id::uuid',
  read: (src, key, limit) => src`
    select u.id as key, u.id, p.avatar_url, p.phone, p.address, p.bio, p.preferences,
      coalesce(p.created_at, u.created_at) at time zone 'UTC' as created_at, coalesce(p.updated_at, u.updated_at) at time zone 'UTC' as updated_at
    from users u left join user_profiles p on p.user_id = u.id
    ${after(src, 'u.id', key)} order by u.id limit ${limit}`,
  async plan(rows, ctx) {
    const { inAuth, refused } = await migratedUsers(rows, ctx);
    const insert: Candidate[] = [];
    for (const row of rows) {
      const u = inAuth.get(row.id);
      if (!u) continue;
      const { address, dropped: addressDropped } = profileAddress(row.address);
      const { preferences, dropped: preferencesDropped } = profilePreferences(row.preferences);
      const notes = [...(addressDropped ? ['address dropped (incomplete or unknown country)'] : []), ...(preferencesDropped ? ['preference dropped (unknown theme or locale)'] : [])];
      insert.push({
        id: row.id,
        values: [row.id, u.email, u.name, null, row.phone, address, row.bio, row.avatar_url, preferences, row.created_at, row.updated_at],
        ...(notes.length ? { notes } : {}),
      });
    }
    return { insert, refused };
  },
  write: (q, rows) =>
    unnestInsert(
      q,
      'profiles',
      [
        ['user_id', 'uuid'], ['email', 'text'], ['name', 'text'], ['display_name', 'text'], ['phone', 'text'], ['address', 'jsonb'],
        ['bio', 'text'], ['avatar_url', 'text'], ['preferences', 'jsonb'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
      ],
      rows.map((r) => r.values),
      'on conflict do nothing returning user_id::text as id',
    ),
  remove: async (q, ids) => void (await q`delete from profiles where user_id = any(${ids}::text[]::uuid[])`),
};

/** Accounting only: every legacy profile row is either in its user's profile or refused as an orphan. */
const userProfiles: Step = {
  name: 'profile.user_profiles',
  target: 'profile',
  description: 'user_profiles accounted for (merged into profile.profiles, or orphans)',
  sourceTable: 'user_profiles',
  sourceId: 'id',
  read: (src, key, limit) => src`
    select p.id as key, p.id, p.user_id, u.id is not null as user_exists
    from user_profiles p left join users u on u.id = p.user_id
    ${after(src, 'p.id', key)} order by p.id limit ${limit}`,
  async plan(rows, ctx) {
    const userIds = [...new Set(rows.map((r) => r.user_id as string))];
    const merged = await ctx.targets.profile.sql`
      select w.id from legacy_migration.written w join profiles t on t.user_id = w.id::uuid
      where w.step = 'profile.profiles' and w.id = any(${userIds}::text[])`;
    const inProfiles = new Set(merged.map((r) => r.id as string));
    const plan: Plan = { insert: [], refused: [] };
    for (const row of rows) {
      if (inProfiles.has(row.user_id)) plan.insert.push({ id: row.id, values: [] });
      else if (!row.user_exists) plan.refused.push({ id: row.id, code: 'orphan.profile_user_deleted', message: `profile of user ${row.user_id}, who no longer exists` });
      else plan.refused.push({ id: row.id, code: 'profile.user_not_migrated', message: `profile of user ${row.user_id}, who was not migrated` });
    }
    return plan;
  },
};

const payments: Step = {
  name: 'payments.payments',
  target: 'payments',
  description: 'payments → payments_db.payments (decimal → integer minor units)',
  sourceTable: 'payments',
  sourceId: 'id',
  targetJoin: 'join payments t on t.id = w.id::uuid',
  read: (src, key, limit) => src`
    select p.id as key, p.id, p.sender_id, p.recipient_id, p.amount::text as amount, p.currency, p.status::text as status, p.type::text as type,
      p.description, p.created_at at time zone 'UTC' as created_at, p.updated_at at time zone 'UTC' as updated_at,
      s.id is not null as sender_exists, r.id is not null as recipient_exists
    from payments p left join users s on s.id = p.sender_id left join users r on r.id = p.recipient_id
    ${after(src, 'p.id', key)} order by p.id limit ${limit}`,
  async plan(rows, ctx) {
    const inAuth = await present(ctx.targets.auth.sql, 'users', rows.flatMap((r) => [r.sender_id, r.recipient_id]), 'id::text as id, email');
    const plan: Plan = { insert: [], refused: [] };
    for (const row of rows) {
      const refuse = (code: string, message: string) => plan.refused.push({ id: row.id, code, message, detail: { amount: row.amount, currency: row.currency } });
      if (!isUuid(row.id)) {
        plan.refused.push({ ...notUuid(row), detail: { amount: row.amount, currency: row.currency } });
        continue;
      }
      const currency = currencyCode(row.currency);
      if (!currency.ok) {
        refuse(currency.refusal.code, currency.refusal.message);
        continue;
      }
      const amount = toMinorUnits(row.amount, currency.value.code, currency.value.exponent);
      if (!amount.ok) {
        refuse(amount.refusal.code, amount.refusal.message);
        continue;
      }
      const status = paymentStatus(row.status);
      const type = paymentType(row.type);
      if (!status.ok || !type.ok) {
        const r = (!status.ok ? status : type) as { refusal: { code: string; message: string } };
        refuse(r.refusal.code, r.refusal.message);
        continue;
      }
      if (row.recipient_id === null) {
        refuse('payment.recipient_null', 'recipient is NULL');
        continue;
      }
      if (row.recipient_id === row.sender_id) {
        refuse('payment.to_self', 'sender and recipient are the same user');
        continue;
      }
      if (!row.sender_exists || !row.recipient_exists) {
        refuse('orphan.payment_user_deleted', `${!row.sender_exists ? 'sender' : 'recipient'} ${!row.sender_exists ? row.sender_id : row.recipient_id} no longer exists`);
        continue;
      }
      const recipient = inAuth.get(row.recipient_id);
      if (!inAuth.has(row.sender_id) || !recipient) {
        refuse('payment.user_not_migrated', `${!inAuth.has(row.sender_id) ? 'sender' : 'recipient'} was not migrated (refused by step auth.users)`);
        continue;
      }
      plan.insert.push({
        id: row.id,
        values: [row.id, row.sender_id, row.recipient_id, recipient.email, amount.value, currency.value.code, type.value, row.description, status.value, row.created_at, row.updated_at],
      });
    }
    return plan;
  },
  // Migrated payments get no next_step_at: the simulated processor does not pick legacy
  // payments up (docs/migration.md: in-flight payments are settled before the window).
  write: (q, rows) =>
    unnestInsert(
      q,
      'payments',
      [
        ['id', 'uuid'], ['sender_id', 'uuid'], ['recipient_id', 'uuid'], ['recipient_email', 'text'], ['amount', 'bigint'], ['currency', 'text'],
        ['type', 'text'], ['description', 'text'], ['status', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
      ],
      rows.map((r) => r.values),
      'on conflict do nothing returning id::text as id',
    ),
  remove: async (q, ids) => void (await q`delete from payments where id = any(${ids}::text[]::uuid[])`),
};

const transactions: Step = {
  name: 'payments.payment_transactions',
  target: 'payments',
  description: 'payment_transactions → payments_db.payment_transactions (from_status = the previous row)',
  sourceTable: 'payment_transactions',
  sourceId: 'id',
  targetJoin: 'join payment_transactions t on t.id = w.id::uuid',
  read: (src, key, limit) => src`
    select t.id as key, t.id, t.payment_id, t.status::text as status, t.status_message, t.created_at at time zone 'UTC' as created_at,
      (select t2.status::text from payment_transactions t2
        where t2.payment_id = t.payment_id and (t2.created_at, t2.id) < (t.created_at, t.id)
        order by t2.created_at desc, t2.id desc limit 1) as from_status,
      exists (select 1 from payments p where p.id = t.payment_id) as payment_exists
    from payment_transactions t ${after(src, 't.id', key)} order by t.id limit ${limit}`,
  async plan(rows, ctx) {
    const inPayments = await present(ctx.targets.payments.sql, 'payments', rows.map((r) => r.payment_id));
    const plan: Plan = { insert: [], refused: [] };
    for (const row of rows) {
      if (!isUuid(row.id)) plan.refused.push(notUuid(row));
      else if (!row.payment_exists) plan.refused.push({ id: row.id, code: 'orphan.transaction_payment_missing', message: `payment ${row.payment_id} does not exist` });
      else if (!inPayments.has(row.payment_id)) plan.refused.push({ id: row.id, code: 'transaction.payment_not_migrated', message: `payment ${row.payment_id} was not migrated` });
      else {
        const to = paymentStatus(row.status);
        const from = row.from_status === null ? null : paymentStatus(row.from_status);
        if (!to.ok) plan.refused.push({ id: row.id, ...to.refusal });
        else plan.insert.push({ id: row.id, values: [row.id, row.payment_id, from?.ok ? from.value : null, to.value, row.status_message, row.created_at] });
      }
    }
    return plan;
  },
  write: (q, rows) =>
    unnestInsert(
      q,
      'payment_transactions',
      [['id', 'uuid'], ['payment_id', 'uuid'], ['from_status', 'text'], ['to_status', 'text'], ['reason', 'text'], ['created_at', 'timestamptz']],
      rows.map((r) => r.values),
      'on conflict do nothing returning id::text as id',
    ),
  remove: async (q, ids) => void (await q`delete from payment_transactions where id = any(${ids}::text[]::uuid[])`),
};

const audit: Step = {
  name: 'admin.audit_log',
  target: 'admin',
  description: 'audit_logs → admin_db.audit_log (type legacy.<resource>.<action>, source legacy-poc2)',
  sourceTable: 'audit_logs',
  sourceId: 'id',
  targetJoin: 'join audit_log t on t.id = w.id::uuid',
  read: (src, key, limit) => src`
    select id as key, id, user_id, action, resource_type, resource_id, details, ip_address, user_agent, created_at at time zone 'UTC' as created_at
    from audit_logs ${after(src, 'id', key)} order by id limit ${limit}`,
  async plan(rows) {
    const plan: Plan = { insert: [], refused: [] };
    for (const row of rows) {
      if (!isUuid(row.id)) {
        plan.refused.push(notUuid(row));
        continue;
      }
      // Entries about users deleted in POC-2 are history and are kept, user id included.
      const data = { action: row.action, resourceType: row.resource_type, resourceId: row.resource_id, details: row.details, ipAddress: row.ip_address, userAgent: row.user_agent, legacyUserId: row.user_id };
      plan.insert.push({
        id: row.id,
        values: [row.id, row.id, auditType(row.resource_type, row.action), 1, 'legacy-poc2', isUuid(row.user_id) ? row.user_id : null, (row.created_at as Date).toISOString(), row.id, data],
      });
    }
    return plan;
  },
  write: (q, rows) =>
    unnestInsert(
      q,
      'audit_log',
      [['id', 'uuid'], ['event_id', 'uuid'], ['type', 'text'], ['version', 'integer'], ['source', 'text'], ['user_id', 'uuid'], ['occurred_at', 'timestamptz'], ['correlation_id', 'text'], ['data', 'jsonb']],
      rows.map((r) => r.values),
      'on conflict do nothing returning id::text as id',
    ),
  // The audit log is append-only (a trigger refuses DELETE); rollback lifts it for its own
  // transaction only, as a privileged maintenance job (the tool runs as the table's owner).
  async remove(q, ids) {
    await q`alter table audit_log disable trigger audit_log_no_update_delete`;
    await q`delete from audit_log where id = any(${ids}::text[]::uuid[])`;
    await q`alter table audit_log enable trigger audit_log_no_update_delete`;
  },
};

const config: Step = {
  name: 'admin.config',
  target: 'admin',
  description: 'system_config → admin_db.config_entries + config_history (version 1)',
  sourceTable: 'system_config',
  sourceId: 'key',
  targetJoin: 'join config_entries t on t.key = w.id',
  read: (src, key, limit) => src`
    select key as key, key as id, value, description, updated_at at time zone 'UTC' as updated_at, updated_by
    from system_config ${after(src, 'key', key)} order by key limit ${limit}`,
  async plan(rows) {
    return {
      insert: rows.map((row) => ({
        id: row.key,
        values: [row.key, row.value, 1, row.updated_at, isUuid(row.updated_by) ? row.updated_by : null],
        ...(row.description ? { notes: ['description not migrated (the configuration catalogue describes keys)'] } : {}),
      })),
      refused: [],
    };
  },
  async write(q, rows) {
    const columns: [string, string][] = [['key', 'text'], ['value', 'jsonb'], ['version', 'integer'], ['updated_at', 'timestamptz'], ['updated_by', 'uuid']];
    const inserted = await unnestInsert(q, 'config_entries', columns, rows.map((r) => r.values), 'on conflict do nothing returning key as id');
    const mine = new Set(inserted);
    await unnestInsert(q, 'config_history', columns, rows.filter((r) => mine.has(r.id)).map((r) => r.values), 'returning key as id');
    return inserted;
  },
  async remove(q, keys) {
    await q`delete from config_history where key = any(${keys}::text[]) and version = 1`;
    await q`delete from config_entries where key = any(${keys}::text[])`;
  },
};

export const STEPS: Step[] = [users, knownUsers, profiles, userProfiles, payments, transactions, audit, config];
