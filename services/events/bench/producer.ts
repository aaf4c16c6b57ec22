// The fixed-rate load generator of the event hub benchmark, run as its own process (several of
// them, forked by outbox-bench.ts) so that its business transactions do not compete with the relay
// and the consumer for one event loop — as a service's request handlers run in other processes
// (replicas) than a given relay. Each process has a pool of the services' default size and commits
// ONE business transaction per event through addToOutbox, on a 5 ms tick, at `rate` events/s for
// `seconds`; it reports, per event, when its COMMIT returned (wall clock, comparable across
// processes on one machine), then keeps its pool open until told to end.
//   argv: <databaseUrl> <rate> <seconds>
import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createSql } from '@bank/kit/db';
import { addToOutbox } from '../src/outbox.ts';
import { paymentCreated } from '../test/helpers/events.ts';

export interface ProducerReport {
  /** Business transactions committed per second over the run. */
  achievedPerSec: number;
  /** [event id, Date.now() when its COMMIT returned] for every event. */
  committed: Array<[string, number]>;
}

const [url, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const sql = createSql(url!); // the services' default pool size
const db = drizzle(sql);

// Connect the pool before the clock starts.
await Promise.all(Array.from({ length: 10 }, () => sql`select 1`));
process.send!({ ready: true });
await new Promise<void>((resolve) => process.once('message', () => resolve()));

const committed: Array<[string, number]> = [];
const inFlight = new Set<Promise<void>>();
const total = Math.round(rate * seconds);
let sent = 0;
const started = performance.now();
while (sent < total) {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
  while (sent < due) {
    sent += 1;
    const event = paymentCreated();
    const done: Promise<void> = db
      .transaction(async (tx) => addToOutbox(tx, event))
      .then(() => {
        committed.push([event.id, Date.now()]);
        inFlight.delete(done);
      });
    inFlight.add(done);
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await Promise.all(inFlight);
const report: ProducerReport = { achievedPerSec: total / ((performance.now() - started) / 1000), committed };
process.send!(report);
// The pool (and its PostgreSQL backends) stays open until the bench has read the backends' CPU:
// a backend that has exited can no longer be read, and its business transactions would not count.
await new Promise<void>((resolve) => {
  process.once('message', () => resolve());
  process.once('disconnect', () => resolve()); // the bench ended without telling
});
await sql.end({ timeout: 5 });
process.exit(0);
