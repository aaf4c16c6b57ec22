// The sign-up form's rules. zod/mini: the same validation as the classic API, tree-shakable to
// the checks used here. (Sign-in has its own two rules without zod: pages/sign-in-rules.ts.)
import * as z from 'zod/mini';

export const signUpSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(2, 'Enter your full name'), z.maxLength(100, 'At most 100 characters')),
    email: z.email('Enter a valid email address'),
    password: z
      .string()
      .check(
        z.minLength(12, 'Use at least 12 characters'),
        z.maxLength(128, 'At most 128 characters'),
        z.regex(/[a-z]/, 'Include a lower-case letter'),
        z.regex(/[A-Z]/, 'Include an upper-case letter'),
        z.regex(/\d/, 'Include a digit'),
      ),
    confirm: z.string(),
  })
  .check(z.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The passwords do not match' }));
export type SignUpValues = z.infer<typeof signUpSchema>;
