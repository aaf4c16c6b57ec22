// Demo users for native mode (SEED_DEMO_USERS=true): one admin, one customer. Idempotent:
// an existing account is left as it is. Created through the normal sign-up use-case, so the
// other services learn about them from the same `auth.user.registered` events.
import type { AuthContext } from '../context.ts';
import { findByEmail } from '../repositories/users.ts';
import { signUp } from '../use-cases/accounts.ts';

export async function seedDemoUsers(ctx: AuthContext) {
  const demo = [
    { email: ctx.config.DEMO_ADMIN_EMAIL, password: ctx.config.DEMO_ADMIN_PASSWORD, name: 'Ada Admin', role: 'ADMIN' as const },
    { email: ctx.config.DEMO_CUSTOMER_EMAIL, password: ctx.config.DEMO_CUSTOMER_PASSWORD, name: 'Chris Customer', role: 'CUSTOMER' as const },
  ];
  for (const user of demo) {
    if (await findByEmail(ctx.db, user.email)) continue;
    await signUp(ctx, user, { requestId: 'seed' });
    ctx.log.info({ email: user.email, role: user.role }, 'demo user created');
  }
}
