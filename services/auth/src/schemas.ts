// Request/response schemas: validation, serialisation and the OpenAPI document in one place.
import { Type } from 'typebox';
import { PageQuery, pageOf } from '@bank/kit';

export { errorsFor } from '@bank/kit';

export const RoleSchema = Type.Enum(['ADMIN', 'CUSTOMER', 'VENDOR']);
export const Email = Type.String({ format: 'email', maxLength: 254 });
// NIST 800-63B: length over composition rules; 12+ characters, capped to bound hashing cost.
export const Password = Type.String({ minLength: 12, maxLength: 128 });

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  status: Type.Enum(['active', 'disabled']),
  createdAt: Type.String({ format: 'date-time' }),
});

export const SignUpBody = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    deviceId: Type.Optional(Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })),
    deviceName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Access token lifetime in seconds' }),
  refreshToken: Type.String(),
  sessionId: Type.String({ format: 'uuid' }),
  user: User,
});

export const SignInResponse = Type.Object({ ...TokenPair.properties, deviceId: Type.String() });

export const RefreshBody = Type.Object(
  { refreshToken: Type.Optional(Type.String({ minLength: 20, maxLength: 200 })) },
  { additionalProperties: false },
);

export const Session = Type.Object({
  id: Type.String({ format: 'uuid' }),
  deviceId: Type.String(),
  deviceName: Type.String(),
  deviceType: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastActiveAt: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(Type.Enum(['active', 'disabled'])),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const UserPage = pageOf(User);

export const UserPatch = Type.Object(
  { role: Type.Optional(RoleSchema), status: Type.Optional(Type.Enum(['active', 'disabled'])) },
  { additionalProperties: false, minProperties: 1 },
);
