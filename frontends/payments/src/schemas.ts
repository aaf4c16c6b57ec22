import { z } from 'zod';
import { parseAmountToMinor, SUPPORTED_CURRENCIES } from '@bank/platform';

export const PAYMENT_TYPES = ['instant', 'scheduled', 'recurring'] as const;

export const createPaymentSchema = z
  .object({
    recipientEmail: z.email('Enter the recipient’s email address'),
    amount: z.string().trim().min(1, 'Enter an amount'),
    currency: z.enum(SUPPORTED_CURRENCIES, { error: `Choose one of ${SUPPORTED_CURRENCIES.join(', ')}` }),
    type: z.enum(PAYMENT_TYPES),
    description: z.string().trim().max(140, 'At most 140 characters'),
  })
  .superRefine((values, ctx) => {
    const parsed = parseAmountToMinor(values.amount, values.currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.error });
  });

export type CreatePaymentValues = z.infer<typeof createPaymentSchema>;
