import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Field, Input } from '@bank/ui';
import { errorMessage, signUp } from '@bank/platform';
import { signUpSchema, type SignUpValues } from '../schemas.ts';
import { AuthCard } from './AuthCard.tsx';

export function SignUpPage() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: '', email: '', password: '', confirm: '' },
  });

  const onSubmit = handleSubmit(async ({ name, email, password }) => {
    setError(null);
    try {
      await signUp({ name: name.trim(), email, password });
      navigate('/auth/signin', { state: { email, signedUp: true } });
    } catch (e) {
      setError(errorMessage(e));
    }
  });

  return (
    <AuthCard
      title="Open your account"
      description="It takes a minute. No paperwork."
      footer={
        <span>
          Already a customer?{' '}
          <Link className="font-medium text-primary hover:underline" to="/auth/signin">
            Sign in
          </Link>
        </span>
      }
    >
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Sign up">
        {error && <Alert tone="error" title="Could not create the account">{error}</Alert>}
        <Field label="Full name" error={formState.errors.name?.message}>
          <Input autoComplete="name" autoFocus {...register('name')} />
        </Field>
        <Field label="Email" error={formState.errors.email?.message}>
          <Input type="email" autoComplete="email" {...register('email')} />
        </Field>
        <Field label="Password" hint="At least 12 characters with upper- and lower-case letters and a digit." error={formState.errors.password?.message}>
          <Input type="password" autoComplete="new-password" {...register('password')} />
        </Field>
        <Field label="Confirm password" error={formState.errors.confirm?.message}>
          <Input type="password" autoComplete="new-password" {...register('confirm')} />
        </Field>
        <Button type="submit" size="lg" loading={formState.isSubmitting} className="mt-2 w-full">
          Create account
        </Button>
      </form>
    </AuthCard>
  );
}
