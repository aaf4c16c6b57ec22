// Valid sample events for tests.
import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '../../src/index.ts';

export function paymentCreated(paymentId: string = randomUUID(), amount = 100): EventEnvelope<'payments.payment.created'> {
  const userId = randomUUID();
  return createEvent({
    type: 'payments.payment.created',
    source: 'payments',
    data: { paymentId, userId, senderId: userId, recipientId: randomUUID(), amount, currency: 'EUR', status: 'pending', type: 'instant' },
  });
}

export function userRegistered(userId: string = randomUUID()): EventEnvelope<'auth.user.registered'> {
  return createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId, email: `u${userId.slice(0, 8)}@bank.local`, name: 'Test User', role: 'CUSTOMER' } });
}
