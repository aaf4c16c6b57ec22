// List or replay a service's dead letters.
//   RABBITMQ_URL=amqp://admin:...@127.0.0.1:5672/ node src/cli/dead-letters.ts list --service payments
//   ... replay --service payments [--id <eventId> ...]
import { parseArgs } from 'node:util';
import { createEventConnection } from '../connection.ts';
import { listDeadLetters, replayDeadLetters } from '../dead-letters.ts';
import { cliEnv } from './env.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: 'string' },
    id: { type: 'string', multiple: true },
    prefix: { type: 'string', default: '' },
    limit: { type: 'string' },
    url: { type: 'string', default: cliEnv.rabbitmqUrl },
  },
});
const command = positionals[0];
if (!values.service || (command !== 'list' && command !== 'replay')) {
  console.error('usage: dead-letters.ts list|replay --service <name> [--id <eventId> ...] [--prefix p.] [--url amqp://...]');
  process.exit(2);
}
const connection = createEventConnection(values.url);
try {
  const limit = values.limit ? Number(values.limit) : undefined;
  const options = { service: values.service, prefix: values.prefix, ...(limit ? { limit } : {}) };
  const result =
    command === 'list'
      ? { items: await listDeadLetters(connection, options) }
      : await replayDeadLetters(connection, { ...options, ...(values.id ? { ids: values.id } : {}) });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await connection.close();
}
