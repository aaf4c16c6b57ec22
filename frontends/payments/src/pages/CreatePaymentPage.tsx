import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, buttonClasses, Card, CardContent, Field, Input, PageHeader, Select, Textarea, useToast } from '@bank/ui';
import { bus, createIdempotencyKeeper, errorMessage, paymentsApi, useDisplayLocale, type CreatePaymentInput } from '@bank/platform';
import { formatDate, formatMoney, parseAmountToMinor, SUPPORTED_CURRENCIES } from '@bank/platform/format';
import { PaymentReviewDialog, type Review } from '../components/PaymentReviewDialog.tsx';
import { browserTimeZone, schedulesApi, type CreateScheduleInput } from '../api/schedules.ts';
import { createPaymentSchema, END_MODES, FREQUENCIES, PAYMENT_TYPES, type CreatePaymentValues } from '../schemas.ts';

const END_LABELS: Record<(typeof END_MODES)[number], string> = { never: 'No end date', date: 'On a date', count: 'After a number of payments' };

export function CreatePaymentPage() {
  useDisplayLocale();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const keeper = useRef(createIdempotencyKeeper());
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, watch, formState } = useForm<CreatePaymentValues>({
    resolver: zodResolver(createPaymentSchema),
    defaultValues: {
      recipientEmail: '', amount: '', currency: 'EUR', type: 'instant', description: '',
      executionDate: '', frequency: 'monthly', startDate: '', endMode: 'never', endDate: '', count: '',
    },
  });

  const mutation = useMutation({
    mutationFn: ({ input, key }: { input: CreatePaymentInput; key: string }) => paymentsApi.create(input, key),
  });
  const scheduleMutation = useMutation({
    mutationFn: ({ input, key }: { input: CreateScheduleInput; key: string }) => schedulesApi.create(input, key),
  });
  const pending = mutation.isPending || scheduleMutation.isPending;

  // The form only prepares the request; nothing is sent until the review dialog is confirmed.
  const [review, setReview] = useState<Review | null>(null);

  const onSubmit = handleSubmit((values) => {
    if (pending) return;
    setError(null);
    const parsed = parseAmountToMinor(values.amount, values.currency);
    if (!parsed.ok) return;
    if (values.type !== 'instant') {
      // Scheduled and recurring payments go to the schedules endpoint; the scheduler creates
      // each occurrence as an ordinary payment when it is due.
      const input: CreateScheduleInput = {
        recipientEmail: values.recipientEmail,
        amount: parsed.minor,
        currency: values.currency,
        type: values.type,
        timeZone: browserTimeZone(),
        ...(values.description ? { description: values.description } : {}),
        ...(values.type === 'scheduled'
          ? { executionDate: values.executionDate }
          : {
              frequency: values.frequency,
              startDate: values.startDate,
              ...(values.endMode === 'date' ? { endDate: values.endDate } : {}),
              ...(values.endMode === 'count' ? { count: Number(values.count) } : {}),
            }),
      };
      setReview({ kind: 'schedule', input });
      return;
    }
    const input: CreatePaymentInput = {
      recipientEmail: values.recipientEmail,
      amount: parsed.minor,
      currency: values.currency,
      type: values.type,
      ...(values.description ? { description: values.description } : {}),
    };
    setReview({ kind: 'payment', input });
  });

  async function send(request: Review) {
    if (pending) return; // a second click while the first is in flight does nothing
    // Same payload → same key: a retry after a timeout cannot pay twice.
    const key = keeper.current.keyFor(request.input);
    try {
      if (request.kind === 'schedule') {
        const schedule = await scheduleMutation.mutateAsync({ input: request.input, key });
        keeper.current.reset();
        void queryClient.invalidateQueries({ queryKey: ['schedules'] });
        const first = schedule.upcoming[0]?.date;
        toast({ title: request.input.type === 'scheduled' ? 'Payment scheduled' : 'Recurring payment set up', description: first ? `First payment on ${formatDate(first)}` : undefined, variant: 'success' });
        navigate('/payments/schedules');
        return;
      }
      const payment = await mutation.mutateAsync({ input: request.input, key });
      keeper.current.reset();
      bus.emit('payment:created', { payment });
      void queryClient.invalidateQueries({ queryKey: ['payments', 'list'] });
      toast({ title: 'Payment submitted', description: `${formatMoney(payment.amount, payment.currency)} to ${payment.recipientEmail ?? 'recipient'}`, variant: 'success' });
      navigate(`/payments/${payment.id}`);
    } catch (e) {
      setReview(null);
      setError(errorMessage(e));
    }
  }

  const type = watch('type');
  const endMode = watch('endMode');
  const amount = watch('amount');
  const currency = watch('currency');
  const preview = amount ? parseAmountToMinor(amount, currency) : null;

  return (
    <section className="mx-auto max-w-2xl">
      <PageHeader title="New payment" description="Send money to another customer by email." />
      <Card>
        <CardContent className="pt-6">
          <form noValidate onSubmit={onSubmit} className="flex flex-col gap-5" aria-label="New payment">
            {error && <Alert tone="error" title="The payment was not created">{error}</Alert>}
            <Field label="Recipient email" error={formState.errors.recipientEmail?.message}>
              <Input type="email" autoComplete="off" autoFocus {...register('recipientEmail')} />
            </Field>
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              <Field
                className="sm:col-span-2"
                label="Amount"
                error={formState.errors.amount?.message}
                hint={preview?.ok ? `You will send ${formatMoney(preview.minor, currency)}` : 'For example 125.50'}
              >
                <Input inputMode="decimal" autoComplete="off" placeholder="0.00" {...register('amount')} />
              </Field>
              <Field label="Currency" error={formState.errors.currency?.message}>
                <Select {...register('currency')}>
                  {SUPPORTED_CURRENCIES.map((c) => (
                    <option key={c} value={c}>{c}</option>
                  ))}
                </Select>
              </Field>
            </div>
            <Field label="Payment type" error={formState.errors.type?.message}>
              <Select {...register('type')}>
                {PAYMENT_TYPES.map((t) => (
                  <option key={t} value={t}>{t.charAt(0).toUpperCase() + t.slice(1)}</option>
                ))}
              </Select>
            </Field>
            {type === 'scheduled' && (
              <Field label="Execution date" error={formState.errors.executionDate?.message} hint={`In your time zone (${browserTimeZone()}); today or within a year`}>
                <Input type="date" {...register('executionDate')} />
              </Field>
            )}
            {type === 'recurring' && (
              <fieldset className="flex flex-col gap-4 rounded-md border border-border p-4">
                <legend className="px-1 text-sm font-medium">Repeat</legend>
                <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
                  <Field label="Frequency" error={formState.errors.frequency?.message} hint="Monthly on the 29th–31st runs on the last day of shorter months">
                    <Select {...register('frequency')}>
                      {FREQUENCIES.map((f) => (
                        <option key={f} value={f}>{f === 'weekly' ? 'Weekly' : 'Monthly'}</option>
                      ))}
                    </Select>
                  </Field>
                  <Field label="Start date" error={formState.errors.startDate?.message} hint={`In your time zone (${browserTimeZone()})`}>
                    <Input type="date" {...register('startDate')} />
                  </Field>
                </div>
                <Field label="Ends" error={formState.errors.endMode?.message}>
                  <Select {...register('endMode')}>
                    {END_MODES.map((m) => (
                      <option key={m} value={m}>{END_LABELS[m]}</option>
                    ))}
                  </Select>
                </Field>
                {endMode === 'date' && (
                  <Field label="End date" error={formState.errors.endDate?.message} hint="The last payment is on or before this date">
                    <Input type="date" {...register('endDate')} />
                  </Field>
                )}
                {endMode === 'count' && (
                  <Field label="Number of payments" error={formState.errors.count?.message}>
                    <Input inputMode="numeric" autoComplete="off" {...register('count')} />
                  </Field>
                )}
              </fieldset>
            )}
            <Field label="Description (optional)" error={formState.errors.description?.message} hint="Shown to the recipient. At most 140 characters.">
              <Textarea rows={3} {...register('description')} />
            </Field>
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <Link to="/payments" className={buttonClasses('outline')}>Cancel</Link>
              <Button type="submit" loading={pending || formState.isSubmitting}>
                Review payment
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
      <PaymentReviewDialog review={review} sending={pending} onConfirm={(r) => void send(r)} onCancel={() => setReview(null)} />
    </section>
  );
}
