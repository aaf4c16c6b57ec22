import { z } from 'zod';
import { parseAmountToMinor, SUPPORTED_CURRENCIES } from '@bank/platform/format';
import { localToday, oneYearAfter } from './api/schedules.ts';

export const PAYMENT_TYPES = ['instant', 'scheduled', 'recurring'] as const;
export const FREQUENCIES = ['weekly', 'monthly'] as const;
export const END_MODES = ['never', 'date', 'count'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const createPaymentSchema = z
  .object({
    recipientEmail: z.email('Enter the recipient’s email address'),
    amount: z.string().trim().min(1, 'Enter an amount'),
    currency: z.enum(SUPPORTED_CURRENCIES, { error: `Choose one of ${SUPPORTED_CURRENCIES.join(', ')}` }),
    type: z.enum(PAYMENT_TYPES),
    description: z.string().trim().max(140, 'At most 140 characters'),
    // Scheduled: the day it runs. Recurring: frequency, first date, and how it ends.
    executionDate: z.string(),
    frequency: z.enum(FREQUENCIES),
    startDate: z.string(),
    endMode: z.enum(END_MODES),
    endDate: z.string(),
    count: z.string(),
  })
  .superRefine((values, ctx) => {
    const parsed = parseAmountToMinor(values.amount, values.currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.error });
    const today = localToday();
    const latest = oneYearAfter(today);
    const checkDate = (field: 'executionDate' | 'startDate', value: string) => {
      if (!DATE.test(value)) ctx.addIssue({ code: 'custom', path: [field], message: 'Choose a date' });
      else if (value < today) ctx.addIssue({ code: 'custom', path: [field], message: 'The date cannot be in the past' });
      else if (value > latest) ctx.addIssue({ code: 'custom', path: [field], message: `Choose a date within a year (on or before ${latest})` });
    };
    if (values.type === 'scheduled') checkDate('executionDate', values.executionDate);
    if (values.type === 'recurring') {
      checkDate('startDate', values.startDate);
      if (values.endMode === 'date') {
        if (!DATE.test(values.endDate)) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'Choose an end date' });
        else if (DATE.test(values.startDate) && values.endDate < values.startDate) {
          ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date cannot be before the start date' });
        }
      }
      if (values.endMode === 'count') {
        const n = Number(values.count);
        if (!/^\d+$/.test(values.count.trim()) || n < 1 || n > 520) ctx.addIssue({ code: 'custom', path: ['count'], message: 'Enter a whole number from 1 to 520' });
      }
    }
  });

export type CreatePaymentValues = z.infer<typeof createPaymentSchema>;
