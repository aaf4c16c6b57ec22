// Users migrated from the legacy platform keep their bcrypt hash until they next sign in.
import t from 'tap';
import bcrypt from 'bcryptjs';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../src/db/schema.ts';
import { buildAuth, randomIp, uniqueEmail } from './helper.ts';

t.test('a bcrypt hash is accepted once and upgraded to argon2id', async (t) => {
  const app = await buildAuth(t);
  const email = uniqueEmail('legacy');
  const id = uuidv7();
  await app.db.insert(users).values({ id, email, name: 'Legacy', role: 'CUSTOMER', passwordHash: await bcrypt.hash('legacy password!', 4) });
  const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email, password: 'legacy password!' } });
  t.equal(res.statusCode, 200);
  const [row] = await app.db.select().from(users).where(eq(users.id, id));
  t.match(row?.passwordHash, /^\$argon2id\$/);
});
