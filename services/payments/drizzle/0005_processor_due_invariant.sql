-- The processor's due query (claimDuePayments) has no status filter: this makes its premise an invariant.
-- Checking existing rows is one scan of payments under the migration's lock.
ALTER TABLE "payments" ADD CONSTRAINT "payments_next_step_in_flight" CHECK ("payments"."next_step_at" is null or "payments"."status" in ('pending', 'processing'));
