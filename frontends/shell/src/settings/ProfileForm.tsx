import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Alert, Button, Card, CardContent, CardDescription, CardHeader, CardTitle, Field, Input, PageLoader, Textarea, useToast } from '@bank/ui';
import { errorMessage, useCurrentUser } from '@bank/platform';
import { useProfile, useUpdateProfile } from './useProfile.ts';

const schema = z.object({
  displayName: z.string().trim().min(2, 'At least 2 characters').max(80, 'At most 80 characters'),
  phone: z.string().trim().regex(/^$|^\+?[0-9 ()-]{6,20}$/, 'Enter a phone number like +44 20 7946 0000'),
  address: z.string().trim().max(200, 'At most 200 characters'),
  bio: z.string().trim().max(500, 'At most 500 characters'),
});
type Values = z.infer<typeof schema>;

export function ProfileForm() {
  const user = useCurrentUser();
  const toast = useToast();
  const profile = useProfile();
  const update = useUpdateProfile();
  const { register, handleSubmit, reset, formState } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { displayName: '', phone: '', address: '', bio: '' } });

  useEffect(() => {
    if (profile.data) {
      reset({ displayName: profile.data.displayName ?? user?.name ?? '', phone: profile.data.phone ?? '', address: profile.data.address ?? '', bio: profile.data.bio ?? '' });
    }
  }, [profile.data, reset, user?.name]);

  const onSubmit = handleSubmit(async (values) => {
    await update.mutateAsync({ displayName: values.displayName, phone: values.phone || null, address: values.address || null, bio: values.bio || null });
    toast({ title: 'Profile saved', variant: 'success' });
  });

  if (profile.isPending) return <PageLoader label="Loading profile" />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
        <CardDescription>How you appear to the people you pay. Your sign-in email is {user?.email}.</CardDescription>
      </CardHeader>
      <CardContent>
        {profile.isError && <Alert tone="error" className="mb-4">{errorMessage(profile.error)}</Alert>}
        <form noValidate onSubmit={onSubmit} aria-label="Profile" className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          {update.isError && <Alert tone="error" className="sm:col-span-2">{errorMessage(update.error)}</Alert>}
          <Field label="Display name" error={formState.errors.displayName?.message}>
            <Input autoComplete="name" {...register('displayName')} />
          </Field>
          <Field label="Phone" error={formState.errors.phone?.message}>
            <Input type="tel" autoComplete="tel" {...register('phone')} />
          </Field>
          <Field label="Address" className="sm:col-span-2" error={formState.errors.address?.message}>
            <Input autoComplete="street-address" {...register('address')} />
          </Field>
          <Field label="About you" className="sm:col-span-2" error={formState.errors.bio?.message}>
            <Textarea rows={3} {...register('bio')} />
          </Field>
          <div className="sm:col-span-2">
            <Button type="submit" loading={update.isPending}>Save profile</Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
