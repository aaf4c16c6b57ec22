// 2. Consumer killed (SIGKILL) mid-stream (plain, and mid-batch in batch mode): unacked messages are redelivered to the next
// consumer process, and the inbox keeps every effect single.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { waitFor } from '../helpers/infra.ts';

const CHILD = fileURLToPath(new URL('../fixtures/consumer-child.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  lines: Array<{ result: string; id: string; redelivered: boolean }>;
  ready: Promise<void>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Child['lines'] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') markReady();
    else lines.push(JSON.parse(line));
  });
  return { process: child, lines, ready };
}

for (const [title, label, mode] of [
  ['SIGKILL of the consumer mid-stream: redelivery, no double effect', 'crash', {}],
  // 25 events × 15 ms of work per batch transaction: the kill lands inside a batch.
  ['SIGKILL of a batching consumer mid-batch: redelivery, no double effect', 'crashbatch', { BATCH_SIZE: '25' }],
] as const) t.test(title, async (t) => {
  const hub = await createHub(t, label);
  const env = { AMQP_URL: hub.vhost.url(), DATABASE_URL: hub.db.url, ...mode };
  const first = startChild(env);
  t.teardown(() => void first.process.kill('SIGKILL'));
  await first.ready;
  await hub.relay();
  const events = Array.from({ length: 400 }, () => paymentCreated());
  for (let i = 0; i < events.length; i += 50) await hub.commit(events.slice(i, i + 50));

  await waitFor(async () => (await hub.effects()).length >= 80, 30_000, 'some progress');
  first.process.kill('SIGKILL');
  await new Promise((resolve) => first.process.once('exit', resolve));
  const appliedBeforeKill = (await hub.effects()).length;
  t.ok(appliedBeforeKill < events.length, `killed mid-stream (${appliedBeforeKill}/${events.length} applied)`);

  const second = startChild(env);
  t.teardown(() => void second.process.kill('SIGKILL'));
  await second.ready;
  await waitFor(async () => (await hub.effects()).length >= events.length, 60_000, 'all effects');
  await waitFor(() => second.lines.length + first.lines.length >= events.length, 10_000, 'outcomes');
  await assertExactlyOnce(t, hub, events.map((e) => e.id));
  const redelivered = second.lines.filter((line) => line.redelivered);
  t.ok(redelivered.length > 0, `${redelivered.length} messages redelivered after the kill`);
  t.comment(`redelivered: ${redelivered.length}, of which duplicates skipped by the inbox: ${second.lines.filter((l) => l.result === 'duplicate').length}`);
});
