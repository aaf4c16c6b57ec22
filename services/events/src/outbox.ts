// Writing events: inside the caller's business transaction, so the event exists if and only if
// the business change committed. The relay (relay.ts) publishes it afterwards.
import { sql, type SQL } from 'drizzle-orm';
import { aggregateDeclaration, type EventType } from './contracts.ts';
import { assertValidEvent, type AnyEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { SqlExecutor } from './db.ts';

export const OUTBOX_CHANNEL = 'outbox';

/**
 * The advisory lock (two-int form, so it never meets a one-key lock such as the migrations') that
 * a relay holds EXCLUSIVELY while it sleeps. A business transaction takes it SHARED, which never
 * waits: when that fails, a relay sleeps (or is about to) and the transaction notifies; otherwise
 * every relay is awake and will claim the rows anyway, and the transaction sends no NOTIFY — whose
 * commit-time lock (one database-wide lock, held through the commit's WAL flush) serialises the
 * commits of every notifying transaction. The shared lock, held until the transaction ends, makes
 * a relay going to sleep wait for the transactions that saw it awake, so it sees their rows in the
 * claim it makes once it holds the lock (relay.ts).
 */
export const RELAY_SLEEP_LOCK = { classId: 0x6f757462, objectId: 1 } as const;

export interface OutboxItem {
  event: EventEnvelope | AnyEventEnvelope;
  /** Defaults to the aggregate type declared for the event's type in contracts.ts. */
  aggregateType?: string;
  /** Defaults to `data[key]`, the aggregate key declared for the event's type in contracts.ts. */
  aggregateId?: string;
}

type Input = EventEnvelope<EventType> | AnyEventEnvelope | OutboxItem;

function isItem(value: Input): value is OutboxItem {
  return 'event' in value && typeof (value as OutboxItem).event === 'object';
}

/**
 * The aggregate an event belongs to, as its type declares it in the contracts (catalogue
 * `aggregate`): events of one aggregate are published and consumed in insertion order.
 */
export function aggregateOf(event: AnyEventEnvelope | EventEnvelope): { aggregateType: string; aggregateId: string } {
  const declared = aggregateDeclaration(event.type, event.version);
  // Validated events always have a declaration whose key is a required field; the fallback only
  // serves callers that pass an event of an unknown type (it is rejected before insertion).
  if (!declared) return { aggregateType: event.type, aggregateId: event.id };
  return { aggregateType: declared.type, aggregateId: String((event.data as Record<string, unknown>)[declared.key]) };
}

/** `pg_notify('outbox')` (delivered at commit) only when the shared RELAY_SLEEP_LOCK cannot be had: a relay sleeps. */
const notifyIfRelaySleeps = () =>
  sql`select pg_notify(${OUTBOX_CHANNEL}, '') where not pg_try_advisory_xact_lock_shared(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;

/** The outbox rows of `input`, validated first (InvalidEventError before anything is written); undefined for none. */
function outboxRows(input: Input | Input[]): SQL | undefined {
  const items = (Array.isArray(input) ? input : [input]).map((value) => (isItem(value) ? value : { event: value }));
  if (items.length === 0) return undefined;
  for (const item of items) assertValidEvent(item.event);
  const rows = items.map((item) => {
    const aggregate = aggregateOf(item.event);
    return sql`(${item.event.id}::uuid, ${item.aggregateType ?? aggregate.aggregateType}, ${item.aggregateId ?? aggregate.aggregateId}, ${item.event.type}, ${JSON.stringify(item.event)}::jsonb)`;
  });
  return sql.join(rows, sql`, `);
}

/**
 * Validates and inserts events into the outbox within `tx` (a Drizzle transaction) and, when a
 * relay sleeps (RELAY_SLEEP_LOCK), `pg_notify('outbox')` — delivered at commit, it wakes the relays
 * at once — in the same statement (one round trip: each costs the service a socket write and
 * PostgreSQL a statement).
 * Throws InvalidEventError (EVENTS_INVALID_EVENT) before writing anything if one is invalid.
 */
export async function addToOutbox(tx: SqlExecutor, input: Input | Input[]): Promise<void> {
  const rows = outboxRows(input);
  if (!rows) return;
  // A data-modifying WITH runs exactly once whether or not the outer query reads it.
  await tx.execute(
    sql`with inserted as (insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload) values ${rows})
        ${notifyIfRelaySleeps()}` as never,
  );
}

/**
 * The same insert and NOTIFY (only while a relay sleeps, as in addToOutbox) as a statement for the
 * caller's own data-modifying WITH, so that a business write and its events are one round trip (a
 * payment's create: the row, its history row, its recorded response and its created event in one
 * statement). The NOTIFY is in RETURNING: an unreferenced data-modifying WITH still runs to
 * completion, RETURNING included, and PostgreSQL folds a transaction's identical notifications
 * into one (the shared lock, taken again per row, is one lock held to the end of the transaction).
 * Validates like addToOutbox (throws before anything is written).
 */
export function outboxInsertStatement(input: Input | Input[]): SQL {
  const rows = outboxRows(input);
  if (!rows) throw new Error('outboxInsertStatement needs at least one event');
  return sql`insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload) values ${rows}
    returning (${notifyIfRelaySleeps()})`;
}
