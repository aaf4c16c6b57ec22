// The POC-2 shared database (`mfe_poc2`) as Prisma 5 created it: one schema for every service,
// Prisma's defaults (String ids → text holding UUIDs, Decimal → numeric(65,30), DateTime →
// timestamp(3) without time zone, holding UTC), snake_case columns through @map. The migration
// tool reads exactly these tables; the generator creates them. Relations are only indexes: POC-2
// deleted users without cascading, which is why orphans exist.
export const LEGACY_TABLES = ['users', 'refresh_tokens', 'payments', 'payment_transactions', 'audit_logs', 'system_config', 'user_profiles'] as const;

export const LEGACY_DDL = `
CREATE TYPE "UserRole" AS ENUM ('ADMIN', 'CUSTOMER', 'VENDOR');
CREATE TYPE "PaymentStatus" AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
CREATE TYPE "PaymentType" AS ENUM ('instant', 'scheduled', 'recurring');

CREATE TABLE users (
  id text PRIMARY KEY,
  email text,
  password_hash text,
  name text,
  role "UserRole" NOT NULL DEFAULT 'CUSTOMER',
  email_verified boolean NOT NULL DEFAULT false,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp(3) NOT NULL
);
-- Case-sensitive, as Prisma made it: 'Ann@x.com' and 'ann@x.com' are two accounts.
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE refresh_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  token text NOT NULL,
  expires_at timestamp(3) NOT NULL,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX refresh_tokens_token_key ON refresh_tokens (token);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

CREATE TABLE payments (
  id text PRIMARY KEY,
  sender_id text NOT NULL,
  recipient_id text,
  amount numeric(65,30),
  currency text DEFAULT 'USD',
  status "PaymentStatus" NOT NULL DEFAULT 'pending',
  type "PaymentType",
  description text,
  psp_transaction_id text,
  metadata jsonb,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp(3) NOT NULL
);
CREATE INDEX payments_sender_id_idx ON payments (sender_id);
CREATE INDEX payments_recipient_id_idx ON payments (recipient_id);

CREATE TABLE payment_transactions (
  id text PRIMARY KEY,
  payment_id text NOT NULL,
  status "PaymentStatus" NOT NULL,
  status_message text,
  psp_transaction_id text,
  metadata jsonb,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX payment_transactions_payment_id_idx ON payment_transactions (payment_id, created_at);

CREATE TABLE audit_logs (
  id text PRIMARY KEY,
  user_id text,
  action text NOT NULL,
  resource_type text,
  resource_id text,
  details jsonb,
  ip_address text,
  user_agent text,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_logs_user_id_idx ON audit_logs (user_id);

CREATE TABLE system_config (
  id text PRIMARY KEY,
  key text NOT NULL,
  value jsonb NOT NULL,
  description text,
  updated_at timestamp(3) NOT NULL,
  updated_by text
);
CREATE UNIQUE INDEX system_config_key_key ON system_config (key);

CREATE TABLE user_profiles (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  avatar_url text,
  phone text,
  address jsonb,
  bio text,
  preferences jsonb,
  created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp(3) NOT NULL
);
CREATE UNIQUE INDEX user_profiles_user_id_key ON user_profiles (user_id);
`;
