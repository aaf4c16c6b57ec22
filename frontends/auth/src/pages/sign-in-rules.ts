// The sign-in form's two rules, without a schema library: the sign-in page is the first thing
// every visitor downloads, and zod + react-hook-form were most of its remote's bytes
// (docs/benchmarks/frontend.md). Sign-up keeps zod (schemas.ts), loaded only on that page.
export interface SignInValues {
  email: string;
  password: string;
}

export type SignInErrors = Partial<Record<keyof SignInValues, string>>;

// The same shape zod's z.email() accepts for ordinary addresses; the server decides the rest.
const EMAIL = /^(?!\.)(?!.*\.\.)[\w'+\-.]*[\w+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export function validateSignIn(values: SignInValues): SignInErrors {
  const errors: SignInErrors = {};
  if (!EMAIL.test(values.email.trim())) errors.email = 'Enter a valid email address';
  if (values.password.length < 1) errors.password = 'Enter your password';
  return errors;
}
