// Provision per-service RabbitMQ users (idempotent). The native runner calls:
//   node services/events/src/cli/provision.ts --vhost / --user auth:<pw> --user payments:<pw> \
//        --user profile:<pw> --operator admin:<pw> [--prefix p.]
// Prints the resulting users and permissions as JSON.
import { parseArgs } from 'node:util';
import { provisionServiceUsers, type ServiceUserSpec } from '../provision.ts';

const { values } = parseArgs({
  options: {
    user: { type: 'string', multiple: true, default: [] },
    operator: { type: 'string', multiple: true, default: [] },
    vhost: { type: 'string', default: '/' },
    prefix: { type: 'string', default: '' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || (values.user.length === 0 && values.operator.length === 0)) {
  console.error('usage: provision.ts [--vhost /] [--prefix p.] --user <service>:<password> ... [--operator admin:<password>]');
  process.exit(values.help ? 0 : 2);
}

function spec(arg: string, operator: boolean): ServiceUserSpec {
  const index = arg.indexOf(':');
  if (index <= 0) throw new Error(`expected <service>:<password>, got ${arg.split(':')[0]}`);
  return { service: arg.slice(0, index), password: arg.slice(index + 1), operator };
}

const specs = [...values.user.map((arg) => spec(arg, false)), ...values.operator.map((arg) => spec(arg, true))];
const results = await provisionServiceUsers(specs, { vhost: values.vhost, prefix: values.prefix });
console.log(JSON.stringify({ vhost: values.vhost, users: results }, null, 2));
