import { z } from 'zod';

export const signInSchema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().min(1, 'Enter your password'),
});
export type SignInValues = z.infer<typeof signInSchema>;

export const signUpSchema = z
  .object({
    name: z.string().trim().min(2, 'Enter your full name').max(100, 'At most 100 characters'),
    email: z.email('Enter a valid email address'),
    password: z
      .string()
      .min(12, 'Use at least 12 characters')
      .max(128, 'At most 128 characters')
      .regex(/[a-z]/, 'Include a lower-case letter')
      .regex(/[A-Z]/, 'Include an upper-case letter')
      .regex(/\d/, 'Include a digit'),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The passwords do not match' });
export type SignUpValues = z.infer<typeof signUpSchema>;
