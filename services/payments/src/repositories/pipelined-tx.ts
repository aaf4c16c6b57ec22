// A transaction whose BEGIN travels with its first statement and whose COMMIT travels with its
// last: two round trips for the create (BEGIN + claim, insert + COMMIT) where Drizzle's
// `db.transaction` (postgres.js `begin`) takes four — it waits for BEGIN before running the body and
// for the last statement before sending COMMIT. Each round trip holds a pooled connection for an
// event-loop turn of this process and of the load around it; at 300 creates/s on two cores those
// turns, not PostgreSQL, were most of a create's time and made requests queue for the pool
// (docs/benchmarks/platform.md, "Branch api11d").
//
// Why this is still one atomic transaction:
// - BEGIN and the first statement go out together on a reserved connection, in that order
//   (postgres.js sends a connection's queries in order, each with its own Sync). BEGIN on an idle
//   connection fails only if the connection does, and then so does the statement after it.
// - `commitAfter(statement)` takes the last statement itself — already built and queued — and
//   queues COMMIT behind it. If that statement fails, PostgreSQL has aborted the transaction and
//   answers the COMMIT with a rollback: nothing of it is kept. A failure before the statement
//   exists (JavaScript) never reaches `commitAfter`, and the body's error rolls back.
// - A body that ends without `commitAfter` is committed after it (one more round trip), one that
//   throws is rolled back; the connection goes back to the pool either way.
import type { PendingQuery } from 'postgres';
import type { Sql } from '@bank/kit';

export interface PipelinedTx {
  /** The reserved connection the transaction runs on (statements are sent in the order made). */
  client: Sql;
  /** Sends COMMIT right behind `last` (not waiting for it); resolves with its rows once both answered. */
  commitAfter<T extends readonly (object | undefined)[]>(last: PendingQuery<T>): Promise<T>;
}

type Reservable = Sql & { reserve(): Promise<Sql & { release(): void }> };

export async function pipelinedTransaction<T>(pool: Sql, body: (tx: PipelinedTx) => Promise<T>): Promise<T> {
  const client = await (pool as Reservable).reserve();
  let ended = false;
  const begun = client`begin`;
  // Queues BEGIN now, ahead of the body's first statement; its failure is rethrown below.
  begun.catch(() => {});
  const tx: PipelinedTx = {
    client,
    async commitAfter<R extends readonly (object | undefined)[]>(last: PendingQuery<R>): Promise<R> {
      ended = true;
      const [outcome, commit] = await Promise.allSettled([last, client`commit`]);
      // The statement failed: PostgreSQL answered COMMIT with a rollback.
      if (outcome.status === 'rejected') throw outcome.reason;
      if (commit.status === 'rejected') throw commit.reason;
      return outcome.value;
    },
  };
  try {
    let result: T;
    try {
      result = await body(tx);
      await begun;
    } catch (error) {
      if (!ended) await client`rollback`.catch(() => {});
      throw error;
    }
    if (!ended) await client`commit`;
    return result;
  } finally {
    client.release();
  }
}
