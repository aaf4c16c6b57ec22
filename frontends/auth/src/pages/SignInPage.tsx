import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Field, Input } from '@bank/ui';
import { errorMessage, signIn, useAuthStore } from '@bank/platform';
import { signInSchema, type SignInValues } from '../schemas.ts';
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
  const { register, handleSubmit, formState } = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: state.email ?? '', password: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      await signIn(values.email, values.password);
      navigate(state.from && state.from.startsWith('/') && !state.from.startsWith('/auth') ? state.from : '/payments', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    }
  });

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
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Sign in">
        {state.signedUp && <Alert tone="success" title="Account created">You can now sign in.</Alert>}
        {signedOutReason && !error && <Alert tone="info">{signedOutReason}</Alert>}
        {error && <Alert tone="error" title="Sign-in failed">{error}</Alert>}
        <Field label="Email" error={formState.errors.email?.message}>
          <Input type="email" autoComplete="username" autoFocus {...register('email')} />
        </Field>
        <Field label="Password" error={formState.errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...register('password')} />
        </Field>
        <Button type="submit" size="lg" loading={formState.isSubmitting} className="mt-2 w-full">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
