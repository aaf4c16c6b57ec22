// Retention of the hub's tables (run by the kit's RetentionJob, started by the plugin):
// - outbox: rows SENT more than `outboxHours` ago (unsent rows are never deleted, however old).
//   The sent history is what `replayEvents` re-publishes from, so this is the replay window.
// - inbox: processed event ids older than `inboxHours`. An event redelivered or replayed after
//   that would run its handler again, so keep it ≥ the outbox retention (and far above the
//   broker's retry/DLQ delays).
import type { RetentionTask } from '@bank/kit/retention';

export interface EventRetention {
  outboxHours: number;
  inboxHours: number;
}

export function eventRetentionTasks(service: string, { outboxHours, inboxHours }: EventRetention): RetentionTask[] {
  return [
    {
      name: `${service}:outbox`,
      async deleteBatch(tx, limit) {
        const rows = await tx`
          delete from outbox where id in (
            select id from outbox
            where sent_at is not null and sent_at < now() - make_interval(hours => ${outboxHours})
            order by id limit ${limit}
            for update skip locked)`;
        return rows.count;
      },
    },
    {
      name: `${service}:inbox`,
      async deleteBatch(tx, limit) {
        const rows = await tx`
          delete from inbox where (consumer, event_id) in (
            select consumer, event_id from inbox
            where processed_at < now() - make_interval(hours => ${inboxHours})
            limit ${limit}
            for update skip locked)`;
        return rows.count;
      },
    },
  ];
}

/** The plugin's `retention` option from the kit's base configuration (RETENTION_* variables). */
export function retentionFromConfig(config: { RETENTION_INTERVAL_MS: number; OUTBOX_RETENTION_HOURS: number; INBOX_RETENTION_HOURS: number }) {
  return { intervalMs: config.RETENTION_INTERVAL_MS, outboxHours: config.OUTBOX_RETENTION_HOURS, inboxHours: config.INBOX_RETENTION_HOURS };
}
