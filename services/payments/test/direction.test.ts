// GET /payments and /payments/:id seen from each side: the direction filter, each item's
// direction and counterparty (names from the replica of auth's users), and what a recipient may do.
import t from 'tap';
import { buildPayments, pay, registerUser } from './helper.ts';

t.test('sent and received payments, each with its direction and counterparty', async (t) => {
  const app = await buildPayments(t);
  const ana = await registerUser(app, 'CUSTOMER', 'ana');
  const ben = await registerUser(app, 'CUSTOMER', 'ben');
  const cleo = await registerUser(app, 'CUSTOMER', 'cleo');
  const admin = await registerUser(app, 'ADMIN', 'admin');
  const anaToBen = await pay(app, ana, ben, { amount: 100 });
  const benToAna = await pay(app, ben, ana, { amount: 200 });
  await pay(app, ben, cleo, { amount: 300 });

  type Item = { id: string; amount: number; direction: string | null; counterparty: { id: string; name: string | null; email: string | null } | null; sender: { id: string }; recipient: { id: string } };
  const list = async (user: typeof ana, qs = '') => {
    const res = await app.inject({ url: `/payments?${qs}`, headers: user.headers });
    t.equal(res.statusCode, 200, `${qs}: ${res.body.slice(0, 200)}`);
    return (res.json() as { items: Item[] }).items;
  };

  const anas = await list(ana);
  t.same(anas.map((p) => [p.amount, p.direction]), [[200, 'received'], [100, 'sent']], 'both directions, newest first');
  t.match(anas[0]!.counterparty, { id: ben.id, name: 'Test ben', email: ben.email }, 'a received payment names its sender');
  t.match(anas[1]!.counterparty, { id: ben.id, name: 'Test ben', email: ben.email }, 'a sent payment names its recipient');
  t.same((await list(ana, 'direction=sent')).map((p) => p.id), [anaToBen.id]);
  t.same((await list(ana, 'direction=received')).map((p) => p.id), [benToAna.id]);
  t.same((await list(ana, 'direction=all')).length, 2);
  t.same((await list(ben, 'direction=sent')).map((p) => p.amount), [300, 200], 'the cache keeps directions apart');

  const bad = await app.inject({ url: '/payments?direction=sideways', headers: ana.headers });
  t.equal(bad.statusCode, 400, 'unknown direction');
  t.equal(bad.json().code, 'VALIDATION_FAILED');

  const admins = await list(admin);
  t.equal(admins.length, 3, 'an admin lists everyone’s payments');
  t.ok(admins.every((p) => p.direction === null && p.counterparty === null), 'an admin is neither party');
  t.match(admins.find((p) => p.amount === 300), { sender: { id: ben.id, name: 'Test ben' }, recipient: { id: cleo.id, name: 'Test cleo' } });
  t.same(await list(admin, 'direction=sent'), [], 'an admin’s own sent payments: none');

  const detailFor = async (user: typeof ana) => (await app.inject({ url: `/payments/${anaToBen.id}`, headers: user.headers })).json();
  t.match(await detailFor(ana), { direction: 'sent', counterparty: { id: ben.id, name: 'Test ben' } });
  t.match(await detailFor(ben), { direction: 'received', counterparty: { id: ana.id, name: 'Test ana', email: ana.email } }, 'the shared cache entry is seen per caller');

  const byRecipient = await app.inject({ method: 'POST', url: `/payments/${anaToBen.id}/cancel`, headers: ben.headers });
  t.equal(byRecipient.statusCode, 403, 'a recipient may read but not cancel');
  t.equal(byRecipient.json().code, 'PAYMENTS_FORBIDDEN');
});
