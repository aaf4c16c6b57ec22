import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Field, Input } from '@bank/ui';
import { errorMessage, signIn, useAuthStore } from '@bank/platform';
import { validateSignIn, type SignInErrors, type SignInValues } from './sign-in-rules.ts';
import { AuthCard } from './AuthCard.tsx';

interface LocationState {
  from?: string;
  email?: string;
  signedUp?: boolean;
}

export function SignInPage() {
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LocationState;
  const signedOutReason = useAuthStore((s) => s.signedOutReason);
  const [error, setError] = useState<string | null>(null);
  const [values, setValues] = useState<SignInValues>({ email: state.email ?? '', password: '' });
  const [errors, setErrors] = useState<SignInErrors>({});
  // Like a form library's defaults: checked on submit, then again on every change.
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  const change = (field: keyof SignInValues) => (event: { target: { value: string } }) => {
    const next = { ...values, [field]: event.target.value };
    setValues(next);
    if (submitted) setErrors(validateSignIn(next));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    const found = validateSignIn(values);
    setErrors(found);
    if (found.email || found.password) {
      event.currentTarget.querySelector<HTMLInputElement>(`[name="${found.email ? 'email' : 'password'}"]`)?.focus();
      return;
    }
    setError(null);
    setSubmitting(true);
    try {
      await signIn(values.email.trim(), values.password);
      navigate(state.from && state.from.startsWith('/') && !state.from.startsWith('/auth') ? state.from : '/payments', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthCard
      title="Sign in to Northwind Bank"
      description="Use your email and password to access your accounts."
      footer={
        <span>
          New here?{' '}
          <Link className="font-medium text-primary hover:underline" to="/auth/signup">
            Create an account
          </Link>
        </span>
      }
    >
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" aria-label="Sign in">
        {state.signedUp && <Alert tone="success" title="Account created">You can now sign in.</Alert>}
        {signedOutReason && !error && <Alert tone="info">{signedOutReason}</Alert>}
        {error && <Alert tone="error" title="Sign-in failed">{error}</Alert>}
        <Field label="Email" error={errors.email}>
          <Input type="email" name="email" autoComplete="username" autoFocus value={values.email} onChange={change('email')} />
        </Field>
        <Field label="Password" error={errors.password}>
          <Input type="password" name="password" autoComplete="current-password" value={values.password} onChange={change('password')} />
        </Field>
        <Button type="submit" size="lg" loading={submitting} className="mt-2 w-full">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
