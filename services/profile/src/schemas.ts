// Request/response schemas: validation, serialisation and the OpenAPI document in one place.
import { Type, type Static, type TSchema } from 'typebox';
import { SUPPORTED_LOCALES } from './domain/locales.ts';

export { errorsFor } from '@bank/kit';

const strict = { additionalProperties: false } as const;
/**
 * `T | null` as ONE schema (Ajv's `nullable`), not anyOf: with the kit's coercing Ajv an anyOf's
 * null branch would turn '' into null (silently clearing a field instead of a 400).
 */
const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
const NonBlank = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const Theme = Type.Enum(['light', 'dark', 'system']);
export const Locale = Type.Enum([...SUPPORTED_LOCALES], { description: 'BCP 47 tag from the supported list' });
/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const Phone = Type.String({ pattern: '^\\+[1-9][0-9]{1,14}$', description: 'E.164, e.g. +447700900123' });
export const AvatarUrl = Type.String({ format: 'uri', pattern: '^https://', maxLength: 2048 });

export const Address = Type.Object(
  {
    line1: NonBlank(120),
    line2: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
    city: NonBlank(80),
    postalCode: Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*$' }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  strict,
);

const Notifications = Type.Object({ email: Type.Boolean(), sms: Type.Boolean(), push: Type.Boolean() }, strict);
const Analytics = Type.Boolean({ description: "Send front-end analytics and web vitals from this user's browser (false = opted out)" });
export const Preferences = Type.Object({ theme: Theme, locale: Type.String(), notifications: Notifications, analytics: Analytics }, strict);

export const Profile = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  displayName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Nullable(Address),
  bio: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  preferences: Preferences,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Absent keys are kept, null clears a field, preferences merge key by key. */
export const ProfilePatch = Type.Object(
  {
    displayName: Type.Optional(Nullable(NonBlank(80))),
    phone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Address)),
    bio: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    avatarUrl: Type.Optional(Nullable(AvatarUrl)),
    preferences: Type.Optional(
      Type.Object(
        {
          theme: Type.Optional(Theme),
          locale: Type.Optional(Locale),
          notifications: Type.Optional(
            Type.Object({ email: Type.Optional(Type.Boolean()), sms: Type.Optional(Type.Boolean()), push: Type.Optional(Type.Boolean()) }, { ...strict, minProperties: 1 }),
          ),
          analytics: Type.Optional(Analytics),
        },
        { ...strict, minProperties: 1 },
      ),
    ),
  },
  { ...strict, minProperties: 1 },
);
