// Keeps known_users in step with auth: handlers of auth.user.registered|updated|disabled, run
// by the inbox consumer inside its transaction (a redelivered event has no second effect).
// A disabled user's active schedules are paused as well (use-cases/schedules.ts).
import type { EventEnvelope } from '@bank/events';
import { disableUser, upsertUser } from '../repositories/users.ts';
import type { Tx } from '../repositories/tx.ts';
import { pauseSchedulesOfDisabledSender } from './schedules.ts';

export async function onUserRegistered(event: EventEnvelope<'auth.user.registered'>, tx: Tx) {
  const { userId, email, name, role } = event.data;
  await upsertUser(tx, { id: userId, email, name, role, status: 'active', eventAt: new Date(event.occurredAt) });
}

export async function onUserUpdated(event: EventEnvelope<'auth.user.updated'>, tx: Tx) {
  const { userId, email, name, role, status } = event.data;
  await upsertUser(tx, { id: userId, email, name, role, status, eventAt: new Date(event.occurredAt) });
  // A status change to disabled arrives here too (and as auth.user.disabled): pausing is idempotent.
  if (status === 'disabled') await pauseSchedulesOfDisabledSender(tx, userId, event.correlationId);
}

export async function onUserDisabled(event: EventEnvelope<'auth.user.disabled'>, tx: Tx) {
  await disableUser(tx, event.data.userId, new Date(event.occurredAt));
  await pauseSchedulesOfDisabledSender(tx, event.data.userId, event.correlationId);
}
