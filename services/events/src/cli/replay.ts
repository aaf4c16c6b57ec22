// Replay sent events of a type and time range from a publisher's outbox to one consumer's queue.
//   DATABASE_URL=postgres://auth@127.0.0.1/auth_db RABBITMQ_URL=amqp://auth:...@127.0.0.1:5672/ \
//   node src/cli/replay.ts --type auth.user.registered --from 2026-01-01T00:00:00Z --to 2026-02-01T00:00:00Z --target profile
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createEventConnection } from '../connection.ts';
import { replayEvents } from '../replay.ts';
import { cliEnv } from './env.ts';

const { values } = parseArgs({
  options: {
    type: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    target: { type: 'string' },
    prefix: { type: 'string', default: '' },
    'source-user': { type: 'string' },
    url: { type: 'string', default: cliEnv.rabbitmqUrl },
    'database-url': { type: 'string', default: cliEnv.databaseUrl },
  },
});
if (!values.type || !values.from || !values.to || !values.target || !values['database-url']) {
  console.error('usage: replay.ts --type <type> --from <iso> --to <iso> --target <service> [--database-url ...] [--url amqp://...]');
  process.exit(2);
}
const sql = postgres(values['database-url'], { max: 2, onnotice: () => {} });
const connection = createEventConnection(values.url);
try {
  const result = await replayEvents({
    sql,
    connection,
    type: values.type,
    from: values.from,
    to: values.to,
    target: values.target,
    prefix: values.prefix,
    ...(values['source-user'] ? { sourceUser: values['source-user'] } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await connection.close();
  await sql.end();
}
