// A fault proxy in front of the local PostgreSQL for one service run by hand (the shared server keeps
// running): prints its port, then SIGUSR1 drops every connection and refuses new ones, SIGUSR2
// accepts again, SIGTERM exits. Used to check, as a user would, what a request answers when a
// service loses its database (docs/operations.md, "Dependencies down").
//
//   node scripts/faults/pg-proxy.ts &   # → "pg-proxy listening on 127.0.0.1:<port>"
//   DATABASE_URL=postgres://…@127.0.0.1:<port>/payments_db … node --import @bank/kit/instrument src/server.ts
//   kill -USR1 <proxy pid>   # PostgreSQL "down" for that service; kill -USR2 to bring it back
import { createFaultProxy } from '../../services/kit/src/fault-proxy.ts';

const proxy = await createFaultProxy({ host: '127.0.0.1', port: Number(process.env.PGPORT ?? 5432) });
console.log(`pg-proxy listening on 127.0.0.1:${proxy.port}`);
process.on(
  'SIGUSR1',
  () => void proxy.down().then(() => console.log(`pg-proxy down at ${new Date().toISOString()}`)),
);
process.on(
  'SIGUSR2',
  () => void proxy.up().then(() => console.log(`pg-proxy up at ${new Date().toISOString()}`)),
);
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
