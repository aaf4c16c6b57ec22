// Writing events: inside the caller's business transaction, so the event exists if and only if
// the business change committed. The relay (relay.ts) publishes it afterwards.
import { sql, type SQL } from 'drizzle-orm';
import { aggregateDeclaration, type EventType } from './contracts.ts';
import { assertValidEvent, type AnyEventEnvelope, type EventEnvelope } from './envelope.ts';
import type { SqlExecutor } from './db.ts';
import { clientOf } from '@bank/kit/drizzle-client';

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

/**
 * The outbox rows of `input`, one array per column (validated first: InvalidEventError before
 * anything is written); undefined for none. Passed as array parameters and expanded by `unnest`, so
 * the statement's text is the same for any number of rows — prepared once per connection — where a
 * VALUES list made one text (one parse and plan, one more prepared statement) per row count.
 */
function outboxColumns(input: Input | Input[]): OutboxColumns | undefined {
  const items = (Array.isArray(input) ? input : [input]).map((value) => (isItem(value) ? value : { event: value }));
  if (items.length === 0) return undefined;
  for (const item of items) assertValidEvent(item.event);
  const columns: OutboxColumns = { eventIds: [], aggregateTypes: [], aggregateIds: [], eventTypes: [], payloads: [] };
  for (const item of items) {
    const aggregate = aggregateOf(item.event);
    columns.eventIds.push(item.event.id);
    columns.aggregateTypes.push(item.aggregateType ?? aggregate.aggregateType);
    columns.aggregateIds.push(item.aggregateId ?? aggregate.aggregateId);
    columns.eventTypes.push(item.event.type);
    columns.payloads.push(JSON.stringify(item.event));
  }
  return columns;
}

/** Outbox rows as column arrays (outboxColumns). */
interface OutboxColumns {
  eventIds: string[];
  aggregateTypes: string[];
  aggregateIds: string[];
  eventTypes: string[];
  /** The envelopes as JSON text (cast to jsonb in the statement: no serializer of the client's is involved). */
  payloads: string[];
}

/**
 * Validates and inserts events into the outbox within `tx` (a Drizzle transaction) and, when a
 * relay sleeps (RELAY_SLEEP_LOCK), `pg_notify('outbox')` — delivered at commit, it wakes the relays
 * at once — in the same statement (one round trip: each costs the service a socket write and
 * PostgreSQL a statement). One constant text for any number of events, sent on the transaction's
 * own postgres.js connection (@bank/kit clientOf): prepared once per connection, then one round
 * trip and no parse (Drizzle sends what it builds unnamed: Parse/Describe, then Bind/Execute). Its
 * plan reads no table (a function scan feeding the insert), so a cached generic plan costs nothing.
 * The rows are inserted in input order (ids ascending: the relay's per-aggregate order).
 * Throws InvalidEventError (EVENTS_INVALID_EVENT) before writing anything if one is invalid.
 */
export async function addToOutbox(tx: SqlExecutor, input: Input | Input[]): Promise<void> {
  const rows = outboxColumns(input);
  if (!rows) return;
  // A data-modifying WITH runs exactly once whether or not the outer query reads it.
  await clientOf(tx)`
    with inserted as (
      insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload)
      select event_id, aggregate_type, aggregate_id, event_type, payload::jsonb
        from unnest(${rows.eventIds}::uuid[], ${rows.aggregateTypes}::text[], ${rows.aggregateIds}::text[], ${rows.eventTypes}::text[], ${rows.payloads}::text[])
          as r(event_id, aggregate_type, aggregate_id, event_type, payload))
    select pg_notify(${OUTBOX_CHANNEL}, '') where not pg_try_advisory_xact_lock_shared(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;
}

/**
 * The same insert and NOTIFY (only while a relay sleeps, as in addToOutbox) as a statement for the
 * caller's own data-modifying WITH, so that a business write and its events are one round trip (a
 * payment's create: the row, its history row, its recorded response and its created event in one
 * statement). The NOTIFY is in RETURNING: an unreferenced data-modifying WITH still runs to
 * completion, RETURNING included, and PostgreSQL folds a transaction's identical notifications
 * into one (the shared lock, taken again per row, is one lock held to the end of the transaction).
 * Its text is the same for any number of events (array parameters, as addToOutbox), so a caller
 * that prepares its statement prepares one. Validates like addToOutbox (throws before anything is
 * written).
 */
export function outboxInsertStatement(input: Input | Input[]): SQL {
  const rows = outboxColumns(input);
  if (!rows) throw new Error('outboxInsertStatement needs at least one event');
  return sql`insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload)
    select event_id, aggregate_type, aggregate_id, event_type, payload::jsonb
      from unnest(${sql.param(rows.eventIds)}::uuid[], ${sql.param(rows.aggregateTypes)}::text[], ${sql.param(rows.aggregateIds)}::text[], ${sql.param(rows.eventTypes)}::text[], ${sql.param(rows.payloads)}::text[])
        as r(event_id, aggregate_type, aggregate_id, event_type, payload)
    returning (${notifyIfRelaySleeps()})`;
}
