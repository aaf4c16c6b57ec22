// POST /payments. Idempotency: the (sender, Idempotency-Key) row is claimed first, inside the
// payment's transaction. A concurrent duplicate blocks on that unique row until we commit, then
// finds it and replays our response — so N concurrent duplicates make exactly one payment.
// Only successful creations are recorded: a rejected request (422 unknown recipient…) rolls the
// key back with everything else, so the client may fix the problem and retry with the same key.
import { uuidv7 } from '@bank/kit/uuid';
import { outboxInsertStatement } from '@bank/events';
import type { Actor, PaymentsContext } from '../context.ts';
import { IdempotencyKeyReused, LimitExceeded, Maintenance, RecipientDisabled, RecipientNotFound, RecipientRequired, SelfPayment, SenderDisabled } from '../domain/errors.ts';
import { requestHash } from '../domain/idempotency.ts';
import { assertAmount, assertCurrency } from '../domain/money.ts';
import { paymentMetrics } from '../metrics.ts';
import { claimKeyReadingParties, type CreateClaim } from '../repositories/create-claim.ts';
import { findKey } from '../repositories/idempotency.ts';
import { insertPayment, newPaymentRow, publicPayment, type PaymentRow, type PublicPayment } from '../repositories/payments.ts';
import type { KnownUser } from '../repositories/users.ts';
import type { Tx } from '../repositories/tx.ts';
import { invalidatePayment } from './cache-tags.ts';
import { paymentEvent } from './transition.ts';

export interface CreatePaymentInput {
  recipientId?: string;
  recipientEmail?: string;
  amount: number;
  currency: string;
  type: 'instant' | 'scheduled' | 'recurring';
  description?: string;
}

export type CreateResult = { statusCode: number; body: PublicPayment; replayed: boolean };

/**
 * The sender and the recipient a create may use, from the replica rows read with its claim
 * (repositories/create-claim.ts): the sender not disabled (a sender the replica has not heard of
 * yet may pay), the recipient given one way, known, active and not the sender.
 */
export function checkParties(actor: Actor, input: Pick<CreatePaymentInput, 'recipientId' | 'recipientEmail'>, claim: Pick<CreateClaim, 'sender' | 'recipient'>): KnownUser {
  if (claim.sender && claim.sender.status !== 'active') throw SenderDisabled();
  if ((input.recipientId === undefined) === (input.recipientEmail === undefined)) {
    throw RecipientRequired('Give either recipientId or recipientEmail, not both');
  }
  if (input.recipientId === actor.sub) throw SelfPayment();
  const recipient = claim.recipient;
  if (!recipient) throw RecipientNotFound('No user with that id or email is known to payments');
  if (recipient.id === actor.sub) throw SelfPayment();
  if (recipient.status !== 'active') throw RecipientDisabled();
  return recipient;
}

/**
 * The first statement of every create (payment, schedule): the (sender, key) claim with both
 * parties' replica rows — or, when the key is already taken, the answer recorded for it (the same
 * key for a different request is 422).
 */
export async function claimOrReplay<Body>(
  tx: Tx,
  ctx: PaymentsContext,
  actor: Actor,
  p: { key: string; hash: string; recipient: Pick<CreatePaymentInput, 'recipientId' | 'recipientEmail'>; differentRequest: string },
): Promise<{ claim: CreateClaim & { claimedAt: Date } } | { replay: { statusCode: number; body: Body; replayed: true } }> {
  const claim = await claimKeyReadingParties(tx, {
    senderId: actor.sub,
    key: p.key,
    hash: p.hash,
    ttlHours: ctx.config.IDEMPOTENCY_KEY_TTL_HOURS,
    recipient: { id: p.recipient.recipientId, email: p.recipient.recipientEmail },
  });
  if (claim.claimedAt) return { claim: { ...claim, claimedAt: claim.claimedAt } };
  const previous = await findKey(tx, actor.sub, p.key);
  if (!previous || previous.statusCode === null) throw new Error('idempotency key claimed without a recorded response');
  if (previous.requestHash !== p.hash) throw IdempotencyKeyReused(p.differentRequest);
  return { replay: { statusCode: previous.statusCode, body: previous.response as Body, replayed: true } };
}

/**
 * Configuration (admin's catalogue, applied live): maintenance switch, then per-currency limit.
 * Applies to one-off payments and to creating schedules alike.
 */
export function assertAcceptsPayment(ctx: PaymentsContext, input: Pick<CreatePaymentInput, 'amount' | 'currency'>): void {
  if (ctx.settings.get('platform.maintenance')) throw Maintenance('New payments are refused during maintenance; try again later');
  assertAmount(input.amount);
  assertCurrency(input.currency);
  const limit = ctx.settings.get('payments.limits')[input.currency];
  if (limit !== undefined && input.amount > limit) {
    throw LimitExceeded(`${input.amount} minor units of ${input.currency} is above the limit of ${limit} per payment`, { limit, currency: input.currency });
  }
}

/**
 * The one way a payment comes into existence (POST /payments and each schedule occurrence): the
 * row, its first transaction and payments.payment.created in the caller's transaction (one
 * statement, with the recorded response when given: repositories/payments.ts insertPayment), so the
 * processor, the audit log and the WebSocket bridge treat every payment alike.
 */
export async function insertPaymentWithEvent(
  tx: Tx,
  p: {
    senderId: string;
    recipient: Pick<KnownUser, 'id' | 'email'>;
    input: Pick<CreatePaymentInput, 'amount' | 'currency' | 'type' | 'description'>;
    correlationId: string;
    occurrenceOf?: { scheduleId: string; index: number };
    /** The create path: the key's claim time (the payment's created_at) and the key whose response to record in the same statement. */
    idempotency?: { at: Date; key: string };
  },
): Promise<PaymentRow> {
  const fields = {
    id: uuidv7(),
    senderId: p.senderId,
    recipientId: p.recipient.id,
    recipientEmail: p.recipient.email,
    amount: p.input.amount,
    currency: p.input.currency,
    type: p.input.type,
    description: p.input.description ?? null,
    ...(p.occurrenceOf ? { scheduleId: p.occurrenceOf.scheduleId, occurrenceIndex: p.occurrenceOf.index } : {}),
  };
  // The created event is known before the row is written (it carries none of the row's
  // timestamps), so the statement that inserts the payment inserts it too, with its NOTIFY.
  const createdEvent = outboxInsertStatement(paymentEvent(newPaymentRow(fields, p.idempotency?.at ?? new Date()), { correlationId: p.correlationId }));
  const idempotency = p.idempotency;
  const payment = idempotency
    ? // The row is known before it is written (created at the claim's now()), so its response is
      // recorded by the same statement that inserts it.
      await insertPayment(tx, { ...fields, createdAt: idempotency.at, updatedAt: idempotency.at }, createdEvent, {
        senderId: p.senderId,
        key: idempotency.key,
        statusCode: 201,
        response: publicPayment(newPaymentRow(fields, idempotency.at)),
      })
    : await insertPayment(tx, fields, createdEvent);
  return payment;
}

export async function createPayment(
  ctx: PaymentsContext,
  actor: Actor,
  input: CreatePaymentInput,
  idempotencyKey: string,
  meta: { requestId: string },
): Promise<CreateResult> {
  assertAcceptsPayment(ctx, input);
  const hash = requestHash(input);

  // Three statements: the claim with the parties' replica rows, the payment with its history row,
  // recorded response and created event (outbox), the commit (plus BEGIN).
  const result = await ctx.db.transaction(async (tx): Promise<CreateResult> => {
    const claimed = await claimOrReplay<PublicPayment>(tx, ctx, actor, {
      key: idempotencyKey,
      hash,
      recipient: input,
      differentRequest: 'This Idempotency-Key was used for a different payment request',
    });
    if ('replay' in claimed) return claimed.replay;
    const { claim } = claimed;
    const recipient = checkParties(actor, input, claim);
    const payment = await insertPaymentWithEvent(tx, {
      senderId: actor.sub,
      recipient,
      input,
      correlationId: meta.requestId,
      idempotency: { at: claim.claimedAt, key: idempotencyKey },
    });
    return { statusCode: 201, body: publicPayment(payment), replayed: false };
  });

  if (!result.replayed) {
    paymentMetrics.created.inc({ currency: input.currency });
    paymentMetrics.amountMinor.inc({ currency: input.currency }, input.amount);
    await invalidatePayment(ctx, result.body);
  }
  return result;
}
