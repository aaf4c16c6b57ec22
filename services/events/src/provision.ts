// Per-service RabbitMQ users and permissions, through rabbitmqctl (idempotent: an existing user
// gets its password reset, permissions and tags are set, not added). Permission model:
//
//   configure  ^<p>(<svc>\..*|events)$             declare its own queues and the events exchange
//   write      ^(<p>(<svc>\..*|events)|amq\.default)$  publish to `events`; bind its queues; re-publish
//                                                    retries/dead letters through the default exchange
//   read       ^<p>(<svc>\..*|events)$             consume its own queues; bind from `events`
//   operator   + read ^<p>.*\.dlq$ and configure of the DLQs' passive declare — the admin
//              service's dead-letter tools; tag `monitoring` for the management API.
//
// Publishing into another service's queue through amq.default is therefore possible, but every
// message carries the broker-validated user-id, and consumers reject events whose publisher is not
// the user of the event's source (authorization.ts): a service cannot impersonate another.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ServiceUserSpec {
  service: string;
  password: string;
  /** RabbitMQ user name (default: the service name). */
  user?: string;
  /** Operator rights: read every DLQ (admin). */
  operator?: boolean;
  tags?: string[];
}

export interface ProvisionOptions {
  vhost?: string;
  /** Name prefix of the hub's exchanges and queues in that vhost (tests). */
  prefix?: string;
  /** rabbitmqctl executable (default `rabbitmqctl`). */
  rabbitmqctl?: string;
  /** Command runner (tests may capture the calls). */
  run?: (args: string[]) => Promise<string>;
}

export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function permissionsFor(spec: Pick<ServiceUserSpec, 'service' | 'operator'>, prefix = ''): Permissions {
  const p = escapeRegex(prefix);
  const own = `${p}(${escapeRegex(spec.service)}\\..*|events)`;
  if (spec.operator) {
    return {
      configure: `^(${own}|${p}.*\\.dlq)$`,
      write: `^(${own}|amq\\.default)$`,
      read: `^(${own}|${p}.*\\.dlq)$`,
    };
  }
  return { configure: `^${own}$`, write: `^(${own}|amq\\.default)$`, read: `^${own}$` };
}

function runner(opts: ProvisionOptions): (args: string[]) => Promise<string> {
  if (opts.run) return opts.run;
  const command = opts.rabbitmqctl ?? 'rabbitmqctl';
  return async (args) => (await exec(command, ['-q', ...args], { timeout: 60_000 })).stdout;
}

export async function listUsers(opts: ProvisionOptions = {}): Promise<string[]> {
  const out = await runner(opts)(['list_users', '--formatter', 'json']);
  return (JSON.parse(out || '[]') as Array<{ user: string }>).map((row) => row.user);
}

export interface ProvisionedUser {
  user: string;
  created: boolean;
  permissions: Permissions;
  tags: string[];
}

/** Creates or updates the users, then sets their permissions on the vhost and their tags. */
export async function provisionServiceUsers(specs: ServiceUserSpec[], opts: ProvisionOptions = {}): Promise<ProvisionedUser[]> {
  const run = runner(opts);
  const vhost = opts.vhost ?? '/';
  const existing = new Set(await listUsers(opts));
  const results: ProvisionedUser[] = [];
  for (const spec of specs) {
    const user = spec.user ?? spec.service;
    const created = !existing.has(user);
    // `--` ends rabbitmqctl's options: a base64url password may start with '-' and was read as one.
    if (created) await run(['add_user', '--', user, spec.password]);
    else await run(['change_password', '--', user, spec.password]);
    const permissions = permissionsFor(spec, opts.prefix);
    await run(['set_permissions', '-p', vhost, user, permissions.configure, permissions.write, permissions.read]);
    const tags = spec.tags ?? (spec.operator ? ['monitoring'] : []);
    await run(['set_user_tags', user, ...tags]);
    results.push({ user, created, permissions, tags });
  }
  return results;
}

export async function deleteUsers(users: string[], opts: ProvisionOptions = {}): Promise<void> {
  const run = runner(opts);
  const existing = new Set(await listUsers(opts));
  for (const user of users) if (existing.has(user)) await run(['delete_user', user]);
}
