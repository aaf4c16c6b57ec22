import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Alert, Button, Card, CardContent, CardDescription, CardHeader, CardTitle, Field, Input, PageLoader, Textarea, useToast } from '@bank/ui';
import { errorMessage, useCurrentUser } from '@bank/platform';
import { useProfile, useUpdateProfile } from './useProfile.ts';

// Mirrors the profile API's rules (services/profile/src/schemas.ts) so errors show before a round trip.
const schema = z
  .object({
    displayName: z.string().trim().min(1, 'Enter a display name').max(80, 'At most 80 characters'),
    phone: z.string().trim().regex(/^$|^\+[1-9][0-9]{1,14}$/, 'International format without spaces, e.g. +447700900123'),
    line1: z.string().trim().max(120, 'At most 120 characters'),
    line2: z.string().trim().max(120, 'At most 120 characters'),
    city: z.string().trim().max(80, 'At most 80 characters'),
    postalCode: z.string().trim().regex(/^$|^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/, 'Letters, digits, spaces and dashes'),
    country: z.string().trim().toUpperCase().regex(/^$|^[A-Z]{2}$/, 'Two-letter country code, e.g. GB'),
    bio: z.string().trim().max(500, 'At most 500 characters'),
  })
  .superRefine((v, ctx) => {
    // An address is all or nothing: line 1, city, postal code and country together.
    const parts = [v.line1, v.city, v.postalCode, v.country];
    if (parts.some(Boolean) && !parts.every(Boolean)) {
      for (const key of ['line1', 'city', 'postalCode', 'country'] as const) {
        if (!v[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'Required for an address' });
      }
    }
  });
type Values = z.infer<typeof schema>;
const EMPTY: Values = { displayName: '', phone: '', line1: '', line2: '', city: '', postalCode: '', country: '', bio: '' };

export function ProfileForm() {
  const user = useCurrentUser();
  const toast = useToast();
  const profile = useProfile();
  const update = useUpdateProfile();
  const { register, handleSubmit, reset, formState } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: EMPTY });

  useEffect(() => {
    if (profile.data) {
      const a = profile.data.address;
      reset({
        displayName: profile.data.displayName ?? user?.name ?? '',
        phone: profile.data.phone ?? '',
        line1: a?.line1 ?? '',
        line2: a?.line2 ?? '',
        city: a?.city ?? '',
        postalCode: a?.postalCode ?? '',
        country: a?.country ?? '',
        bio: profile.data.bio ?? '',
      });
    }
  }, [profile.data, reset, user?.name]);

  const onSubmit = handleSubmit(async (values) => {
    const address = values.line1
      ? { line1: values.line1, line2: values.line2 || null, city: values.city, postalCode: values.postalCode, country: values.country }
      : null;
    await update.mutateAsync({ displayName: values.displayName, phone: values.phone || null, address, bio: values.bio || null });
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
          <Field label="Address line 1" className="sm:col-span-2" error={formState.errors.line1?.message}>
            <Input autoComplete="address-line1" {...register('line1')} />
          </Field>
          <Field label="Address line 2 (optional)" className="sm:col-span-2" error={formState.errors.line2?.message}>
            <Input autoComplete="address-line2" {...register('line2')} />
          </Field>
          <Field label="City" error={formState.errors.city?.message}>
            <Input autoComplete="address-level2" {...register('city')} />
          </Field>
          <Field label="Postal code" error={formState.errors.postalCode?.message}>
            <Input autoComplete="postal-code" {...register('postalCode')} />
          </Field>
          <Field label="Country code" error={formState.errors.country?.message}>
            <Input autoComplete="country" maxLength={2} placeholder="GB" {...register('country')} />
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
