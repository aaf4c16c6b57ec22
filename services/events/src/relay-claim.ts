// The relay's claim: one autocommitted statement that leases the next batch of outbox rows
// (relay.ts publishes them with no transaction open, then marks them sent).
import type { Sql } from './db.ts';
import type { TraceMetadata } from './tracing.ts';

/** A claimed outbox row: what publishing needs, read from columns and the stored payload. */
export interface ClaimedRow {
  id: string;
  eventId: string;
  eventType: string;
  aggregate: string;
  version: number;
  source: string;
  correlationId: string;
  occurredAt: string;
  /** The trace context the event was created in (the envelope's metadata), if any. */
  metadata: TraceMetadata | null;
  /** The stored envelope as JSON text — the message body, byte for byte. */
  payload: string;
}

/**
 * Leases up to `batchSize` of the oldest unsent, unleased rows in one autocommitted statement.
 * A candidate is leased only if no older unsent row of its aggregate lies outside the candidates
 * (one in flight in another batch, or locked by another replica's concurrent claim); the
 * candidates left out are claimed again once their aggregate's older rows are sent.
 *
 * Shaped so its cost is the batch's, not the backlog's or the table's: the candidates are the
 * first `batchSize` entries of `outbox_unsent_idx` in id order (the scan stops there — no sort
 * of every unsent row), and the aggregate check is one probe of `outbox_unsent_aggregate_idx` per
 * candidate (a subplan, below). Run on a pool with custom plans (relay.ts `RELAY_POOL_OPTIONS`): a cached
 * generic plan made while the outbox was empty scans the whole unsent index per candidate.
 * test/claim-plan.test.ts checks the plan on an outbox of mostly sent rows.
 */
export function claimOutboxRows(sql: Sql, batchSize: number, leaseMs: number) {
  return sql<ClaimedRow[]>`
    with candidates as materialized (
      select o.id, o.aggregate_type, o.aggregate_id from outbox o
      where o.sent_at is null and (o.claimed_until is null or o.claimed_until < now())
      order by o.id
      limit ${batchSize}
      for update skip locked
    )
    update outbox o set claimed_until = now() + ${leaseMs} * interval '1 millisecond', attempts = o.attempts + 1
    from candidates c
    where o.id = c.id
      -- A scalar subquery rather than NOT EXISTS: PostgreSQL cannot turn it into a join, so it
      -- stays one index probe per candidate whatever the statistics say (as an anti-join it was
      -- planned as a hash of every unsent row when the statistics said there were few).
      and (select p.id from outbox p
           where p.sent_at is null and p.aggregate_type = c.aggregate_type and p.aggregate_id = c.aggregate_id
             and p.id < c.id and p.id <> all (array(select id from candidates))
           limit 1) is null
    returning o.id, o.event_id as "eventId", o.event_type as "eventType",
      o.aggregate_type || ':' || o.aggregate_id as aggregate,
      (o.payload->>'version')::int as version, o.payload->>'source' as source,
      o.payload->>'correlationId' as "correlationId", o.payload->>'occurredAt' as "occurredAt",
      o.payload->'metadata' as metadata, o.payload::text as payload`;
}
