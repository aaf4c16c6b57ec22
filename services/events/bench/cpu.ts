// CPU per stage of the bench, from the kernel's accounting (/proc/<pid>/stat utime + stime):
// this Node process (relay and consumer, and the load generator of the throughput run), the PostgreSQL backends
// of the bench's databases (publisher's and consumer's), and the RabbitMQ node (beam.smp: the whole broker, so other work on the
// machine counts there too). Linux only; a stage that cannot be read is left out.
import { readdirSync, readFileSync } from 'node:fs';
import type { Sql } from '../src/db.ts';

export interface CpuShare {
  name: string;
  msPerEvent: number;
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  } catch {
    return 0; // exited
  }
}

function pidsNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function backendPids(sqls: readonly Sql[]): Promise<number[]> {
  const pids: number[] = [];
  for (const sql of sqls) {
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`;
    pids.push(...rows.map((row) => row.pid));
  }
  return pids;
}

/** Starts measuring; `stop(events)` returns CPU ms per event for each stage. */
export async function cpuMeter(sqls: readonly Sql[], nodeLabel = 'node (load generator + relay + consumer)') {
  const node = process.cpuUsage();
  const broker = pidsNamed('beam.smp');
  const brokerStart = broker.map(ticksOf);
  const backendsStart = new Map((await backendPids(sqls)).map((pid) => [pid, ticksOf(pid)]));
  return {
    async stop(events: number): Promise<CpuShare[]> {
      const used = process.cpuUsage(node);
      const backends = await backendPids(sqls);
      const pgTicks = backends.reduce((sum, pid) => sum + ticksOf(pid) - (backendsStart.get(pid) ?? 0), 0);
      const brokerTicks = broker.reduce((sum, pid, i) => sum + ticksOf(pid) - brokerStart[i]!, 0);
      const perEvent = (ms: number) => Number((ms / events).toFixed(3));
      return [
        { name: nodeLabel, msPerEvent: perEvent((used.user + used.system) / 1000) },
        { name: 'postgres backends', msPerEvent: perEvent(pgTicks * TICK_MS) },
        { name: 'rabbitmq (whole node)', msPerEvent: perEvent(brokerTicks * TICK_MS) },
      ];
    },
  };
}
