// The native platform's components: one entry per service, in start order. The runner
// (platform.ts), the provisioning step and the tests all read this list, so adding a
// service means adding it here once.
export interface ServiceSpec {
  name: 'auth' | 'payments' | 'profile' | 'admin' | 'gateway';
  port: number;
  /** Own PostgreSQL database and role (`<name>_db` / `<name>`). */
  database: boolean;
  /** Connects to RabbitMQ as its own user; `operator` may read every queue (admin tools). */
  rabbit: 'service' | 'operator' | false;
}

// Consumers start before auth: their queues (and bindings) must exist when auth's seeding
// publishes `auth.user.registered`, or a fresh machine's replicas would miss the demo users.
// (Services verify tokens lazily through auth's JWKS, so nothing needs auth at start-up.)
export const SERVICES: ServiceSpec[] = [
  { name: 'payments', port: 3002, database: true, rabbit: 'service' },
  { name: 'profile', port: 3004, database: true, rabbit: 'service' },
  { name: 'admin', port: 3003, database: true, rabbit: 'operator' },
  { name: 'auth', port: 3001, database: true, rabbit: 'service' },
  { name: 'gateway', port: 3000, database: false, rabbit: 'service' },
];

export const serviceDir = (root: string, name: string) => `${root}/services/${name}`;
