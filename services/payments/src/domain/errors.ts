// Payments' error catalogue: stable codes clients and tests rely on.
import { defineError } from '@bank/kit';

/** Also what another user's payment looks like: no existence leak. */
export const PaymentNotFound = defineError('PAYMENTS_NOT_FOUND', 404, 'Payment not found');
export const NotPaymentSender = defineError('PAYMENTS_FORBIDDEN', 403, 'Only the sender or an administrator may do this');
export const IllegalTransition = defineError('PAYMENTS_ILLEGAL_TRANSITION', 409, 'Illegal payment status transition');
export const InvalidAmount = defineError('PAYMENTS_INVALID_AMOUNT', 400, 'Invalid amount');
export const UnsupportedCurrency = defineError('PAYMENTS_UNSUPPORTED_CURRENCY', 422, 'Unsupported currency');
export const RecipientRequired = defineError('PAYMENTS_RECIPIENT_REQUIRED', 400, 'Exactly one of recipientId or recipientEmail is required');
export const RecipientNotFound = defineError('PAYMENTS_RECIPIENT_NOT_FOUND', 422, 'Recipient not found');
export const RecipientDisabled = defineError('PAYMENTS_RECIPIENT_DISABLED', 422, 'Recipient account is disabled');
export const SelfPayment = defineError('PAYMENTS_SELF_PAYMENT', 422, 'You cannot pay yourself');
export const SenderDisabled = defineError('PAYMENTS_SENDER_DISABLED', 403, 'Your account is disabled');
export const IdempotencyKeyRequired = defineError('PAYMENTS_IDEMPOTENCY_KEY_REQUIRED', 400, 'Idempotency-Key header required');
export const IdempotencyKeyReused = defineError('PAYMENTS_IDEMPOTENCY_KEY_REUSED', 422, 'Idempotency-Key already used with a different request');
export const LimitExceeded = defineError('PAYMENTS_LIMIT_EXCEEDED', 422, 'Amount above the payment limit');
export const Maintenance = defineError('PAYMENTS_MAINTENANCE', 503, 'Payments are paused for maintenance', { refusal: true });
export const InvalidFilter = defineError('PAYMENTS_INVALID_FILTER', 400, 'Invalid filter');
export const InvalidSchedule = defineError('PAYMENTS_INVALID_SCHEDULE', 422, 'Invalid schedule');
export const InvalidTimeZone = defineError('PAYMENTS_INVALID_TIME_ZONE', 422, 'Unknown time zone');
/** Also what another user's schedule looks like: no existence leak. */
export const ScheduleNotFound = defineError('PAYMENTS_SCHEDULE_NOT_FOUND', 404, 'Schedule not found');
export const IllegalScheduleTransition = defineError('PAYMENTS_ILLEGAL_SCHEDULE_TRANSITION', 409, 'Illegal schedule status change');
