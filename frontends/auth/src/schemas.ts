// zod/mini: the same validation as the classic API, tree-shakable to the checks used here, so
// the sign-in path does not carry the whole of zod (see docs/benchmarks/frontend.md).
import * as z from 'zod/mini';

export const signInSchema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().check(z.minLength(1, 'Enter your password')),
});
export type SignInValues = z.infer<typeof signInSchema>;

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
